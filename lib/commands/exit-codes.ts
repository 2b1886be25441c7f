import { SyncUsageError } from '../sync/sync-report.js';

/** 0: nothing failed; 1: some items failed; 2: usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_ITEMS_FAILED = 1;
export const EXIT_USAGE = 2;

/** Turns a thrown error into the exit code and a message on stderr. */
export function exitCodeFor(error: unknown): number {
  process.stderr.write(`${error instanceof SyncUsageError ? 'usage error' : 'error'}: ${(error as Error).message}\n`);
  return error instanceof SyncUsageError ? EXIT_USAGE : EXIT_ITEMS_FAILED;
}

export const parseInteger = (value: string): number => (/^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN);
