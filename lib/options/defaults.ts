/** Backend API origin when `apiUrl` is not set. */
export const DEFAULT_CLERK_API_URL = 'https://api.clerk.com';

/** Default of `apiTimeoutMs` (the seed's `CLERK_API_TIMEOUT_MS` default). */
export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** Largest accepted `apiTimeoutMs`: a request waiting longer than this on Clerk is already lost. */
export const MAX_API_TIMEOUT_MS = 600_000;

/** Largest accepted webhook body by default (`webhookMaxBytes`); larger bodies get 413. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 1024 * 1024;
