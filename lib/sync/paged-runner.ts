import type { SyncReporter } from './sync-report.js';

/** One page from the Backend API. */
export interface FetchedPage<T> {
  items: T[];
  /** Total Clerk reported (for progress and planning), if any. */
  total: number | null;
}

export interface PagedRunOptions<T> {
  limit: number;
  offset: number;
  concurrency: number;
  /** Every page until the end; otherwise only the first one. */
  all: boolean;
  fetch(limit: number, offset: number): Promise<FetchedPage<T>>;
  handle(items: T[]): Promise<void>;
  onPageFailed(offset: number, error: unknown): void;
  /** A failure no other page can escape (a refused key, an unreachable API): the run stops and rethrows it. */
  isFatal?(error: unknown): boolean;
  reporter: SyncReporter;
}

/**
 * Runs the first page, then (with `all`) the remaining pages `concurrency` at a time, then keeps
 * going page by page while pages come back full (users created during the run). A failed page is
 * reported and the others still run, so a rerun only has to redo what failed. A fatal failure
 * starts no further page and is rethrown once the pages in flight have settled.
 * Returns whether every page succeeded.
 */
export async function runPaged<T>(options: PagedRunOptions<T>): Promise<boolean> {
  const { limit, offset, reporter } = options;
  let done = 0;
  let complete = true;
  let total: number | null = null;
  let fatal: { error: unknown } | null = null;
  const stopIfFatal = () => {
    if (fatal) throw fatal.error;
  };
  const runPage = async (at: number): Promise<number | null> => {
    if (fatal) return null;
    try {
      const page = await options.fetch(limit, at);
      total = page.total ?? total;
      await options.handle(page.items);
      done += page.items.length;
      reporter.progress(done, total === null ? null : Math.max(total - offset, done));
      return page.items.length;
    } catch (error) {
      complete = false;
      if (options.isFatal?.(error)) fatal ??= { error };
      else options.onPageFailed(at, error);
      return null;
    }
  };

  const first = await runPage(offset);
  stopIfFatal();
  if (first === null) return false;
  if (!options.all || first < limit) return complete;

  const planned: number[] = [];
  for (let at = offset + limit; total !== null && at < total; at += limit) planned.push(at);
  let lastFull = planned.length === 0;
  let next = 0;
  const worker = async () => {
    while (next < planned.length && !fatal) {
      const at = planned[next++];
      const count = await runPage(at);
      if (at === planned[planned.length - 1]) lastFull = count === limit;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, planned.length) }, worker));
  stopIfFatal();

  let at = planned.length ? planned[planned.length - 1] + limit : offset + limit;
  while (lastFull) {
    const count = await runPage(at);
    stopIfFatal();
    lastFull = count === limit;
    at += limit;
  }
  return complete;
}
