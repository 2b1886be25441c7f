import { Module, type DynamicModule } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership } from './organization.entities.js';
import { CLERK_INVITATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_ORGANIZATION_REPOSITORY, CLERK_ORGANIZATIONS_OPTIONS } from './organizations.constants.js';
import type { OrganizationsModuleOptions } from './organizations-options.interface.js';
import { OrganizationsService } from './organizations.service.js';
import { OrganizationContext } from './organization-context.service.js';
import { OrganizationWebhookHandlers } from './organization-webhook-handlers.js';

/**
 * Organizations, memberships and invitations kept in sync from Clerk's webhooks, and
 * `request.organization` for members. Import it next to `ClerkUsersModule`.
 */
@Module({})
export class OrganizationsModule {
  static forRoot(options: OrganizationsModuleOptions = {}): DynamicModule {
    const organization = options.organizationEntity ?? ClerkOrganization;
    const membership = options.membershipEntity ?? ClerkOrganizationMembership;
    const invitation = options.invitationEntity ?? ClerkOrganizationInvitation;
    return {
      module: OrganizationsModule,
      global: true,
      imports: [TypeOrmModule.forFeature([organization, membership, invitation])],
      providers: [
        { provide: CLERK_ORGANIZATIONS_OPTIONS, useValue: options },
        { provide: CLERK_ORGANIZATION_REPOSITORY, useExisting: getRepositoryToken(organization) },
        { provide: CLERK_MEMBERSHIP_REPOSITORY, useExisting: getRepositoryToken(membership) },
        { provide: CLERK_INVITATION_REPOSITORY, useExisting: getRepositoryToken(invitation) },
        OrganizationsService,
        OrganizationContext,
        OrganizationWebhookHandlers,
      ],
      exports: [OrganizationsService, CLERK_ORGANIZATION_REPOSITORY, CLERK_MEMBERSHIP_REPOSITORY, CLERK_INVITATION_REPOSITORY],
    };
  }
}
