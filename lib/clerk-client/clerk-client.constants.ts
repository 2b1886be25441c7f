export { DEFAULT_API_TIMEOUT_MS, MAX_API_TIMEOUT_MS } from '../options/defaults.js';

/** `Retry-After` of a 503 when Clerk timed out or failed without saying when to come back. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
