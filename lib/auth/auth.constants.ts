/** Metadata: the route needs no user (a valid token still sets one). */
export const CLERK_IS_PUBLIC = 'clerk-users:is-public';
/** Metadata: authorization requirements of a route or controller. */
export const CLERK_REQUIRE_ORG = 'clerk-users:require-org';
export const CLERK_REQUIRE_ORG_ROLES = 'clerk-users:require-org-roles';
export const CLERK_REQUIRE_ORG_PERMISSIONS = 'clerk-users:require-org-permissions';
export const CLERK_REQUIRE_STAFF = 'clerk-users:require-staff';
export const CLERK_REQUIRE_SUPERUSER = 'clerk-users:require-superuser';

/** Set on a request once it went through authentication, so a second guard does not redo it. */
export const CLERK_AUTHENTICATED = Symbol.for('nestjs-clerk-users:authenticated');
