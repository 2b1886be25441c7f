/** Metadata: the route needs no user (a valid token still sets one). */
export const CLERK_IS_PUBLIC = 'clerk-users:is-public';
/** Metadata: authorization requirements of a route or controller. */
export const CLERK_REQUIRE_ORG = 'clerk-users:require-org';
export const CLERK_REQUIRE_ORG_ROLES = 'clerk-users:require-org-roles';
export const CLERK_REQUIRE_ORG_PERMISSIONS = 'clerk-users:require-org-permissions';
export const CLERK_REQUIRE_STAFF = 'clerk-users:require-staff';
export const CLERK_REQUIRE_SUPERUSER = 'clerk-users:require-superuser';
/** Metadata: machine callers the route accepts (`@RequireMachine()` / `@AllowMachine()`). */
export const CLERK_MACHINE_ACCESS = 'clerk-users:machine-access';
/** Metadata: Clerk billing entitlements (`@RequireFeature()`, `@RequirePlan()`), any of the names. */
export const CLERK_REQUIRE_FEATURES = 'clerk-users:require-features';
export const CLERK_REQUIRE_PLANS = 'clerk-users:require-plans';
/** Metadata: a recent factor verification (`@RequireReverification()`). */
export const CLERK_REQUIRE_REVERIFICATION = 'clerk-users:require-reverification';
/** Metadata: scopes a machine token must all hold (`@RequireScopes()`). */
export const CLERK_REQUIRE_SCOPES = 'clerk-users:require-scopes';
/** Metadata: pending sessions (`sts: pending`) are let in (`@AllowPendingSession()`). */
export const CLERK_ALLOW_PENDING_SESSION = 'clerk-users:allow-pending-session';
/** Metadata: `'allow'` or `'deny'` impersonated sessions (`@AllowImpersonation()` / `@DenyImpersonation()`). */
export const CLERK_IMPERSONATION = 'clerk-users:impersonation';

/** `request.auth` values this module produced. */
const issuedAuth = new WeakSet<object>();

/**
 * Requests that went through authentication, so a second guard does not redo it. Marked through
 * their `request.auth` object rather than the request itself: on Express every new property or
 * identity hash on a request costs microseconds (its prototype was swapped), an auth object costs nothing.
 */
export const AUTHENTICATED_REQUESTS = {
  add(request: { auth?: unknown }): void {
    if (request.auth && typeof request.auth === 'object') issuedAuth.add(request.auth);
  },
  has(request: { auth?: unknown }): boolean {
    return !!request.auth && typeof request.auth === 'object' && issuedAuth.has(request.auth);
  },
};

/** The ordered `ClerkCredentialSource` list the request pipeline asks (composed by `ClerkUsersModule`). */
export const CLERK_CREDENTIAL_SOURCES = 'clerk-users:credential-sources';
