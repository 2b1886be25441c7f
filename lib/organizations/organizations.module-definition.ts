import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership } from './organization.entities.js';
import type { OrganizationsModuleExtras, OrganizationsModuleOptions } from './organizations-options.interface.js';

export const {
  ConfigurableModuleClass: ConfigurableOrganizationsModule,
  MODULE_OPTIONS_TOKEN: CLERK_ORGANIZATIONS_MODULE_OPTIONS,
  OPTIONS_TYPE: ORGANIZATIONS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ORGANIZATIONS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OrganizationsModuleOptions>({ moduleName: 'ClerkOrganizations' })
  .setClassMethodName('forRoot')
  // The module reads the extras itself (OrganizationsModule.withEntities); here they are only kept out of the options value.
  .setExtras<OrganizationsModuleExtras>(
    { organizationEntity: ClerkOrganization, membershipEntity: ClerkOrganizationMembership, invitationEntity: ClerkOrganizationInvitation },
    (definition) => ({ ...definition, global: true }),
  )
  .build();

/** What `OrganizationsModule.forRoot()` takes: the options and the extras together. */
export type OrganizationsForRootOptions = typeof ORGANIZATIONS_OPTIONS_TYPE;

/** What `OrganizationsModule.forRootAsync()` takes: `imports`, `inject`, `useFactory` (or `useClass`/`useExisting`) and the extras beside them. */
export type OrganizationsForRootAsyncOptions = typeof ORGANIZATIONS_ASYNC_OPTIONS_TYPE;
