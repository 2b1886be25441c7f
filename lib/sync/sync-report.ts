/** Counts of one sync run. */
export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  failed: number;
  /** Items seen in Clerk. */
  total: number;
}

export const emptySummary = (): SyncSummary => ({ created: 0, updated: 0, unchanged: 0, deactivated: 0, failed: 0, total: 0 });

/** Where a sync reports progress and per-item lines (the commands print them; tests collect them). */
export interface SyncReporter {
  /** `done` items of `total` (when Clerk told the total). */
  progress(done: number, total: number | null): void;
  /** A line worth showing: dry-run changes, failures. */
  line(text: string): void;
}

export const silentReporter: SyncReporter = { progress: () => undefined, line: () => undefined };

/** A usage or configuration problem: the commands exit 2 with this message. */
export class SyncUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncUsageError';
  }
}
