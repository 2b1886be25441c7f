import type { Repository } from 'typeorm';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { nextCandidates, type MigrationCandidate } from './migration-candidates.js';

/** How a feed reads: rows after the previous batch, then whatever the caller looks up for them. */
export interface CandidateFeedOptions<T> {
  includeStaff: boolean;
  batchSize: number;
  /** Most rows in all. */
  limit: number;
  /** The work items of a batch (e.g. the rows with their Clerk users, looked up by `external_id`). */
  prepare(rows: MigrationCandidate[]): Promise<T[]>;
}

/**
 * The migration's candidates one at a time, for any number of workers: batches are read in primary
 * key order (keyset paging, so rows linked meanwhile change nothing) and prepared one batch ahead,
 * so the workers never wait for a read. A failed read ends the feed and is kept in `error`.
 */
export class CandidateFeed<T> {
  /** Why the feed ended early (the database or the Backend API failed), if it did. */
  error: { cause: unknown } | null = null;
  private queue: T[] = [];
  private upcoming: Promise<T[]> | null;
  private afterId: string | null = null;
  private taken = 0;

  constructor(
    private readonly repository: Repository<AbstractClerkUser>,
    private readonly options: CandidateFeedOptions<T>,
  ) {
    this.upcoming = this.read();
  }

  /** The next item, or `undefined` once every candidate was handed out (or a read failed). */
  async next(): Promise<T | undefined> {
    while (!this.queue.length && this.upcoming) {
      const pending = this.upcoming;
      let batch: T[];
      try {
        batch = await pending;
      } catch (cause) {
        this.error ??= { cause };
        this.upcoming = null;
        return undefined;
      }
      // Another worker took this batch (and started the next read) meanwhile.
      if (this.upcoming !== pending) continue;
      this.queue = batch;
      this.upcoming = batch.length ? this.read() : null;
    }
    return this.queue.shift();
  }

  /** Waits for a read started ahead, so the connection pool can close after it. */
  async settle(): Promise<void> {
    await this.upcoming?.catch(() => undefined);
  }

  private async read(): Promise<T[]> {
    const size = Math.min(this.options.batchSize, this.options.limit - this.taken);
    if (size <= 0) return [];
    const rows = await nextCandidates(this.repository, this.options.includeStaff, this.afterId, size);
    if (!rows.length) return [];
    this.afterId = rows[rows.length - 1].id;
    this.taken += rows.length;
    return this.options.prepare(rows);
  }
}
