interface MemoEntry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded in-process memo in front of work that can be done again: when full, the oldest write goes,
 * found in a ring of the keys in write order (O(1), no scattered reads), and an expired entry is
 * dropped when read or when its slot comes round; it never answers past an entry's expiry. It backs the
 * memo of verified tokens, where an entry evicted early costs one more local check (a session token) or
 * a read of the cache behind the memo (a machine token). Not for security state (`SecurityStateStore`)
 * nor for a cache that is the only copy (`LocalTtlCache`, which evicts by expiry through a heap).
 *
 * Why not `LocalTtlCache` for the token memo: full at 10,000 under fresh tokens, every write also pops
 * its expiry heap (about 14 levels of records scattered in memory); inside the bench:auth server V8's
 * profiler put that write and eviction at 5.9 µs per cold request, against a Map write and delete here.
 * A key written twice holds two slots; the older slot's turn drops the entry early.
 */
export class WriteOrderMemo<V> {
  private readonly entries = new Map<string, MemoEntry<V>>();
  /** Keys in write order, `next` is the oldest once the ring has come round. */
  private readonly ring: string[];
  private next = 0;

  constructor(capacity: number) {
    this.ring = new Array<string>(capacity).fill('');
  }

  /** Entries held, expired ones not yet dropped included (never more than the capacity). */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, ttlMs: number): void {
    const oldest = this.ring[this.next];
    if (oldest !== '' && oldest !== key) this.entries.delete(oldest);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.ring.length;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
  }
}
