import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import { clerkTypeOrmFeature } from '../boot/typeorm-feature.js';
import { ClerkOrganizationsSync } from '../sync/clerk-organizations-sync.service.js';
import { ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership, clerkOrganizationEntities } from './organization.entities.js';
import { CLERK_INVITATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY, CLERK_ORGANIZATIONS_OPTIONS } from './organizations.constants.js';
import {
  CLERK_ORGANIZATIONS_MODULE_OPTIONS,
  ConfigurableOrganizationsModule,
  type OrganizationsForRootAsyncOptions,
  type OrganizationsForRootOptions,
} from './organizations.module-definition.js';
import type { OrganizationsModuleExtras, OrganizationsModuleOptions } from './organizations-options.interface.js';
import { resolveOrganizationsOptions } from './resolve-organizations-options.js';
import { OrganizationsService } from './organizations.service.js';
import { OrganizationContext } from './organization-context.service.js';
import { OrganizationWebhookHandlers } from './organization-webhook-handlers.js';

/** The options the module works with: what forRoot() got or the factory returned, checked at boot. */
const resolvedOptionsProvider: Provider = {
  provide: CLERK_ORGANIZATIONS_OPTIONS,
  useFactory: (options?: OrganizationsModuleOptions) => resolveOrganizationsOptions(options),
  inject: [CLERK_ORGANIZATIONS_MODULE_OPTIONS],
};

/**
 * Organizations, memberships and invitations kept in sync from Clerk's webhooks and the
 * `sync-clerk-organizations` command, and `request.organization` for members. Import it next to
 * `ClerkUsersModule`, with `forRoot(options)` or `forRootAsync({ imports, inject, useFactory })`.
 */
@Module({
  providers: [resolvedOptionsProvider, OrganizationsService, OrganizationContext, OrganizationWebhookHandlers, ClerkOrganizationsSync],
  exports: [OrganizationsService, ClerkOrganizationsSync],
})
export class OrganizationsModule extends ConfigurableOrganizationsModule {
  static override forRoot(options: OrganizationsForRootOptions = {}): DynamicModule {
    return OrganizationsModule.withEntities(super.forRoot(options), options);
  }

  static override forRootAsync(options: OrganizationsForRootAsyncOptions): DynamicModule {
    return OrganizationsModule.withEntities(super.forRootAsync(options), options);
  }

  /** The entities are static: TypeORM registers them (and `autoLoadEntities` sees them) before any factory runs. */
  private static withEntities(definition: DynamicModule, extras: OrganizationsModuleExtras): DynamicModule {
    const organization = extras.organizationEntity ?? ClerkOrganization;
    const membership = extras.membershipEntity ?? ClerkOrganizationMembership;
    const invitation = extras.invitationEntity ?? ClerkOrganizationInvitation;
    return {
      ...definition,
      imports: [
        ...(definition.imports ?? []),
        clerkTypeOrmFeature({ entities: [organization, membership, invitation], listName: 'clerkOrganizationEntities', defaults: clerkOrganizationEntities }),
      ],
      providers: [
        ...(definition.providers ?? []),
        { provide: CLERK_ORGANIZATION_REPOSITORY, useExisting: getRepositoryToken(organization) },
        { provide: CLERK_MEMBERSHIP_REPOSITORY, useExisting: getRepositoryToken(membership) },
        { provide: CLERK_INVITATION_REPOSITORY, useExisting: getRepositoryToken(invitation) },
      ],
      exports: [...(definition.exports ?? []), CLERK_ORGANIZATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_INVITATION_REPOSITORY],
    };
  }
}
