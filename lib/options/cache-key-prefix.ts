import { ClerkUsersConfigurationError } from './configuration.error.js';

/** What `cacheKeyPrefix` may hold: short, printable, and free of the glob characters Redis' SCAN patterns use. */
const CACHE_KEY_PREFIX = /^[A-Za-z0-9._:-]{1,64}$/;

/** Validates the option `cacheKeyPrefix` (`undefined`: none). */
export function resolveCacheKeyPrefix(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CACHE_KEY_PREFIX.test(value)) {
    throw new ClerkUsersConfigurationError('cacheKeyPrefix', 'must be 1 to 64 letters, digits or . _ : -');
  }
  return value;
}
