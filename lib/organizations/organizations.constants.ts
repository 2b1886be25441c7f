export const CLERK_ORGANIZATION_REPOSITORY = Symbol.for('nestjs-clerk-users:organization-repository');
export const CLERK_MEMBERSHIP_REPOSITORY = Symbol.for('nestjs-clerk-users:membership-repository');
export const CLERK_INVITATION_REPOSITORY = Symbol.for('nestjs-clerk-users:invitation-repository');
/** The checked options (`ResolvedOrganizationsOptions`); the raw ones are under `CLERK_ORGANIZATIONS_MODULE_OPTIONS`. */
export const CLERK_ORGANIZATIONS_OPTIONS = Symbol.for('nestjs-clerk-users:organizations-options');
/** Header an app may enable to pick a local organization for `request.organization`. */
export const ORGANIZATION_HEADER = 'x-organization-id';

// The cache keys live with every other key of the library; re-exported for existing importers.
export { membershipCacheKey, orgCacheKey } from '../cache/cache-keys.js';
