import { SyncUsageError } from '../sync/sync-report.js';
import { ClerkApiAuthError } from '../sync/clerk-api-failure.js';
import { describeError } from './describe-error.js';

/**
 * 0: nothing failed; 1: some items failed, or the run could not finish (Backend API or database
 * unreachable); 2: usage or configuration error, including a secret key the Backend API refuses.
 */
export const EXIT_OK = 0;
export const EXIT_ITEMS_FAILED = 1;
export const EXIT_USAGE = 2;

/** Turns a thrown error into the exit code and a message on stderr (its network cause included, never a secret). */
export function exitCodeFor(error: unknown): number {
  const kind = error instanceof ClerkApiAuthError ? 'authentication error' : error instanceof SyncUsageError ? 'usage error' : 'error';
  process.stderr.write(`${kind}: ${describeError(error)}\n`);
  return error instanceof SyncUsageError ? EXIT_USAGE : EXIT_ITEMS_FAILED;
}

export const parseInteger = (value: string): number => (/^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN);
