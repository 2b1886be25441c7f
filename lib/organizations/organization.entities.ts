import { Entity } from 'typeorm';
import { AbstractClerkOrganization } from './abstract-clerk-organization.entity';
import { AbstractClerkOrganizationMembership } from './abstract-clerk-organization-membership.entity';
import { AbstractClerkOrganizationInvitation } from './abstract-clerk-organization-invitation.entity';

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
