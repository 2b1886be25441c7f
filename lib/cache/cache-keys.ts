/**
 * Every key this library writes to the shared cache, in one place: the prefixes stay distinct, and
 * what is written is what an invalidation deletes. `ClerkCacheService` stores each one under the
 * app's namespace ({@link namespacedCacheKey}); nothing else builds a key.
 */

/**
 * The key a shared store holds `key` under: `<namespace>:<key>`, the namespace being
 * `[<cacheKeyPrefix>:]<fingerprint of the Clerk instance and the app's tables>`.
 */
export const namespacedCacheKey = (namespace: string, key: string): string => `${namespace}:${key}`;

/** Cache key of a verified session or machine token; `scope` is a fingerprint of the verification settings (and of the token kind). */
export const tokenCacheKey = (scope: string, tokenHash: string): string => `clerk:token:${scope}:${tokenHash}`;

/** Cache key of a local user row by Clerk id. */
export const userCacheKey = (clerkId: string): string => `clerk:user:${clerkId}`;

/** Cache key of the list of a user's active memberships (what an `X-Organization-Id` header is checked against). */
export const userMembershipsCacheKey = (clerkUserId: string): string => `clerk:user-memberships:${clerkUserId}`;

/** Cache key of the one server session (option `sessions`) that stands for a Clerk session id. */
export const serverSessionOfClerkSessionKey = (clerkSessionId: string): string => `clerk:server-session:${clerkSessionId}`;

/** Cache key of a local organization row by Clerk organization id. */
export const orgCacheKey = (clerkOrgId: string): string => `clerk:org:${clerkOrgId}`;

/** Cache key of a local membership row by Clerk organization and user ids. */
export const membershipCacheKey = (clerkOrgId: string, clerkUserId: string): string => `clerk:membership:${clerkOrgId}:${clerkUserId}`;

/** Cache key marking a Clerk session revoked (ended), so its cached verifications are refused on every instance. */
export const revokedSessionCacheKey = (sessionId: string): string => `clerk:revoked-session:${sessionId}`;

/** Cache key of the failed-login counter of one local account (`localAuth`). */
export const loginFailuresByAccountKey = (account: string): string => `clerk:login-failures:account:${account}`;

/** Cache key of the failed-login counter of one client IP (`localAuth`). */
export const loginFailuresByIpKey = (ip: string): string => `clerk:login-failures:ip:${ip}`;
