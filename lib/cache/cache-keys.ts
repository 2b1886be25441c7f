/** Cache key of a verified token; `scope` is a fingerprint of the verification settings. */
export const tokenCacheKey = (scope: string, tokenHash: string): string => `clerk:token:${scope}:${tokenHash}`;

/** Cache key of a local user row by Clerk id. */
export const userCacheKey = (clerkId: string): string => `clerk:user:${clerkId}`;
