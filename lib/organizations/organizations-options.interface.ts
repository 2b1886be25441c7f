import type { AbstractClerkOrganization } from './abstract-clerk-organization.entity.js';
import type { AbstractClerkOrganizationInvitation } from './abstract-clerk-organization-invitation.entity.js';
import type { AbstractClerkOrganizationMembership } from './abstract-clerk-organization-membership.entity.js';

/** Options of `OrganizationsModule.forRoot()`. */
export interface OrganizationsModuleOptions {
  /** Let `X-Organization-Id` pick `request.organization` among the user's active memberships. Default `false`. */
  allowOrganizationHeader?: boolean;
  organizationEntity?: new () => AbstractClerkOrganization;
  membershipEntity?: new () => AbstractClerkOrganizationMembership;
  invitationEntity?: new () => AbstractClerkOrganizationInvitation;
}
