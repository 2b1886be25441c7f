import { ExpiryQueue, type QueuedExpiry } from './expiry-queue.js';

/**
 * What a full {@link LocalTtlCache} does with a new key when no entry has expired: `evict` drops the
 * entry that would expire soonest (of equal expiries the earliest write; with one TTL, the oldest
 * write), fit for plain cache entries, which can be read again; `refuse` keeps every entry and stores
 * nothing (security state, which must never leave before it expires).
 */
export type LocalTtlCacheWhenFull = 'evict' | 'refuse';

interface Entry<V> {
  value: V;
  /** This entry's record in the expiry queue: a queued record that is not an entry's own is stale. */
  expiry: QueuedExpiry;
}

/**
 * A process-local Map with expiry and a size bound. Synchronous, so a warm request pays no promise
 * chain or serializer of a general-purpose cache library. Expired entries always go first: every
 * write drops those whose time is up (found through an {@link ExpiryQueue}, so an unread entry does
 * not linger and a full map is never relieved at a live entry's expense while a dead one is kept);
 * then {@link LocalTtlCacheWhenFull} decides, through the same queue. The installed cache libraries
 * evict by recency (lru-cache) whatever has expired, hence this one. It backs the default cache and the
 * process-local security state (the memo of verified tokens is a `WriteOrderMemo`).
 *
 * Eviction does not take the Map's first key: a Map used as a queue keeps its deleted slots until it
 * is rehashed, and finding the first live key skipped them all. Full at 10,000 entries with a new key
 * per write (the token memo under fresh tokens, as it then was) that cost 5.9–7.7 µs a write; through the queue,
 * 1.1–2.3 µs (micro-benchmark, same machine, same keys).
 */
export class LocalTtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly expiries = new ExpiryQueue();
  private writes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly whenFull: LocalTtlCacheWhenFull = 'evict',
  ) {}

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores `value` for `ttlMs`; `false` (and nothing changed) when a `refuse` cache is full of live entries. */
  set(key: string, value: V, ttlMs: number): boolean {
    const now = Date.now();
    this.dropExpired(now);
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      if (this.whenFull === 'refuse') return false;
      const soonest = this.liveTop();
      if (soonest) {
        this.expiries.pop();
        this.entries.delete(soonest.key);
      }
    }
    const expiry: QueuedExpiry = { expiresAt: now + ttlMs, key, order: this.writes++ };
    this.entries.set(key, { value, expiry });
    this.expiries.push(expiry);
    this.compact();
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Whether `count` new keys would be stored now (expired entries are dropped to make room). */
  hasRoomFor(count: number): boolean {
    this.dropExpired(Date.now());
    return this.entries.size + count <= this.maxEntries;
  }

  /** Milliseconds until the soonest-expiring entry expires (0 when none is held). */
  msUntilNextExpiry(): number {
    const next = this.liveTop();
    return next ? Math.max(0, next.expiresAt - Date.now()) : 0;
  }

  private dropExpired(now: number): void {
    for (let next = this.liveTop(); next && next.expiresAt <= now; next = this.liveTop()) {
      this.expiries.pop();
      this.entries.delete(next.key);
    }
  }

  /** The first queued expiry that still describes a held entry; replaced and removed ones are dropped on the way. */
  private liveTop(): QueuedExpiry | undefined {
    for (let top = this.expiries.peek(); top; top = this.expiries.peek()) {
      if (this.entries.get(top.key)?.expiry === top) return top;
      this.expiries.pop();
    }
    return undefined;
  }

  /** Drops the queue's stale records once they outnumber the live entries (amortised: once per n writes at most). */
  private compact(): void {
    if (this.expiries.length <= 2 * this.entries.size + 64) return;
    this.expiries.rebuild([...this.entries.values()].map(({ expiry }) => expiry));
  }
}
