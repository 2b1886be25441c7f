/** One queued expiry: `key` expires at `expiresAt` (epoch ms), unless it was replaced or removed since. */
export interface QueuedExpiry {
  expiresAt: number;
  key: string;
  /** Write order: of two equal expiries the earlier write comes first. */
  order: number;
}

/** Whether `a` comes before `b`: sooner expiry, then earlier write. */
const before = (a: QueuedExpiry, b: QueuedExpiry): boolean => a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.order < b.order);

/**
 * The keys of a {@link LocalTtlCache} by expiry, soonest first and then by write order (a binary
 * min-heap): finding an expired entry, or the live one to evict, costs O(log n) instead of a scan.
 * Replaced and removed entries are not looked for here (the cache tells them apart when they reach the
 * top: their record is no longer their entry's own); {@link ExpiryQueue.rebuild} drops them once they
 * outnumber the live ones.
 */
export class ExpiryQueue {
  private heap: QueuedExpiry[] = [];

  get length(): number {
    return this.heap.length;
  }

  peek(): QueuedExpiry | undefined {
    return this.heap[0];
  }

  push(item: QueuedExpiry): void {
    const heap = this.heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, heap[parent])) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = item;
  }

  pop(): QueuedExpiry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
        if (!before(heap[child], last)) break;
        heap[index] = heap[child];
        index = child;
      }
      heap[index] = last;
    }
    return top;
  }

  /** Replaces the queue with `items` (the live entries); a sorted array is a valid heap. */
  rebuild(items: QueuedExpiry[]): void {
    this.heap = items.sort((a, b) => a.expiresAt - b.expiresAt || a.order - b.order);
  }
}
