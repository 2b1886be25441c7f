import { Entity } from 'typeorm';
import { AbstractClerkOrganization } from './abstract-clerk-organization.entity.js';
import { AbstractClerkOrganizationMembership } from './abstract-clerk-organization-membership.entity.js';
import { AbstractClerkOrganizationInvitation } from './abstract-clerk-organization-invitation.entity.js';

/** Default organization entity, table `clerk_organizations`. */
@Entity('clerk_organizations')
export class ClerkOrganization extends AbstractClerkOrganization {}

/** Default membership entity, table `clerk_organization_memberships`. */
@Entity('clerk_organization_memberships')
export class ClerkOrganizationMembership extends AbstractClerkOrganizationMembership {}

/** Default invitation entity, table `clerk_organization_invitations`. */
@Entity('clerk_organization_invitations')
export class ClerkOrganizationInvitation extends AbstractClerkOrganizationInvitation {}

/** The organization entities, for a DataSource that lists `entities`. */
export const clerkOrganizationEntities = [ClerkOrganization, ClerkOrganizationMembership, ClerkOrganizationInvitation];
