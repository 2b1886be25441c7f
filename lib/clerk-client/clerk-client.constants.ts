/** Default of `apiTimeoutMs` (the seed's `CLERK_API_TIMEOUT_MS` default). */
export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** Largest accepted `apiTimeoutMs`: a request waiting longer than this on Clerk is already lost. */
export const MAX_API_TIMEOUT_MS = 600_000;

/** `Retry-After` of a 503 when Clerk timed out or failed without saying when to come back. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
