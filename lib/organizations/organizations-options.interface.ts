import type { AbstractClerkOrganization } from './abstract-clerk-organization.entity.js';
import type { AbstractClerkOrganizationInvitation } from './abstract-clerk-organization-invitation.entity.js';
import type { AbstractClerkOrganizationMembership } from './abstract-clerk-organization-membership.entity.js';

/**
 * Options known when the module is imported, never from a `forRootAsync()` factory: TypeORM
 * registers the entities before any factory runs.
 */
export interface OrganizationsModuleExtras {
  organizationEntity?: new () => AbstractClerkOrganization;
  membershipEntity?: new () => AbstractClerkOrganizationMembership;
  invitationEntity?: new () => AbstractClerkOrganizationInvitation;
}

/**
 * Options of `OrganizationsModule.forRoot()`. A `forRootAsync()` factory returns them too, except
 * the entities (extras, passed to `forRootAsync()` itself).
 */
export interface OrganizationsModuleOptions extends OrganizationsModuleExtras {
  /** Let `X-Organization-Id` pick `request.organization` among the user's active memberships. Default `false`. */
  allowOrganizationHeader?: boolean;
}

/** The options the module works with, checked at boot. */
export interface ResolvedOrganizationsOptions {
  allowOrganizationHeader: boolean;
}
