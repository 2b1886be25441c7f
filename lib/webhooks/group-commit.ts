interface Waiting<I, R> {
  item: I;
  keys: string[];
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** How `GroupCommit` batches. */
export interface GroupCommitLimits {
  /** Statements running at once; an item arriving with fewer in flight goes out at once. */
  maxInFlight: number;
  /** A statement running this long (e.g. waiting on a row lock) no longer holds back the next one. */
  stalledAfterMs: number;
  /** Items in one statement. */
  maxBatch: number;
}

/**
 * Group commit for writes that run as one atomic statement per batch: an item goes out at once
 * while fewer than `maxInFlight` statements run, else it joins the next statement together with
 * everything that queued meanwhile. So a lone event waits for nothing, and under load many share
 * one round trip and one WAL flush. A batch holds each key (`keysOf`) at most once: an item whose
 * key is taken waits for a later batch, which keeps one-item-at-a-time semantics. A failed batch
 * left nothing behind; its items then run one by one, so only the one that cannot go this way fails.
 */
export class GroupCommit<I, R> {
  private waiting: Array<Waiting<I, R>> = [];
  private inFlight = 0;

  constructor(
    private readonly execute: (items: I[]) => Promise<R[]>,
    private readonly keysOf: (item: I) => string[],
    private readonly limits: GroupCommitLimits,
  ) {}

  /** Resolves with the item's result once its statement committed. */
  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, keys: this.keysOf(item), resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length) {
      const batch = this.takeBatch();
      this.inFlight++;
      let counted = true;
      const release = () => {
        if (!counted) return;
        counted = false;
        this.inFlight--;
        this.drain();
      };
      const stalled = setTimeout(release, this.limits.stalledAfterMs);
      stalled.unref();
      void this.send(batch).finally(() => {
        clearTimeout(stalled);
        release();
      });
    }
  }

  private takeBatch(): Array<Waiting<I, R>> {
    const batch: Array<Waiting<I, R>> = [];
    const rest: Array<Waiting<I, R>> = [];
    const taken = new Set<string>();
    for (const entry of this.waiting) {
      if (batch.length < this.limits.maxBatch && entry.keys.every((key) => !taken.has(key))) {
        batch.push(entry);
        for (const key of entry.keys) taken.add(key);
      } else {
        rest.push(entry);
      }
    }
    this.waiting = rest;
    return batch;
  }

  private async send(batch: Array<Waiting<I, R>>): Promise<void> {
    try {
      const results = await this.execute(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((entry) => this.execute([entry.item]).then(([result]) => entry.resolve(result), entry.reject)));
    }
  }
}
