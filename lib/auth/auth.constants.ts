/** Metadata: the route needs no user (a valid token still sets one). */
export const CLERK_IS_PUBLIC = 'clerk-users:is-public';
/** Metadata: authorization requirements of a route or controller. */
export const CLERK_REQUIRE_ORG = 'clerk-users:require-org';
export const CLERK_REQUIRE_ORG_ROLES = 'clerk-users:require-org-roles';
export const CLERK_REQUIRE_ORG_PERMISSIONS = 'clerk-users:require-org-permissions';
export const CLERK_REQUIRE_STAFF = 'clerk-users:require-staff';
export const CLERK_REQUIRE_SUPERUSER = 'clerk-users:require-superuser';

/** Requests that went through authentication, so a second guard does not redo it (a WeakSet, not a property: no extra shape change on the request). */
export const AUTHENTICATED_REQUESTS = new WeakSet<object>();
