import { afterEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { WriteOrderMemo } from '../../lib/cache/write-order-memo.js';

// The memo of verified tokens: bounded, never answers past an entry's expiry, never answers a value
// that is not the latest one written for its key, and keeps what the last `capacity` writes wrote.

afterEach(() => {
  jest.restoreAllMocks();
});

const clock = (start: number) => {
  let now = start;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  return (ms: number) => {
    now += ms;
  };
};

describe('WriteOrderMemo', () => {
  it('drops the oldest write when full, one per new key', () => {
    clock(1_000);
    const memo = new WriteOrderMemo<number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) memo.set(key, i, 60_000);
    expect(['a', 'b', 'c', 'd'].map((key) => memo.get(key))).toEqual([undefined, 1, 2, 3]);
    expect(memo.size).toBe(3);
  });

  it('never answers past an expiry, and forgets an expired entry when read', () => {
    const advance = clock(1_000);
    const memo = new WriteOrderMemo<string>(10);
    memo.set('token', 'auth', 500);
    advance(499);
    expect(memo.get('token')).toBe('auth');
    advance(1);
    expect(memo.get('token')).toBeUndefined();
    expect(memo.size).toBe(0);
  });

  it('keeps the latest value of a key written twice, and may drop it early when its older slot comes round', () => {
    clock(1_000);
    const memo = new WriteOrderMemo<string>(2);
    memo.set('k', 'first', 60_000);
    memo.set('k', 'second', 60_000);
    expect(memo.get('k')).toBe('second');
    memo.set('x', 'other', 60_000); // overwrites k's first slot: k goes early
    expect([memo.get('k'), memo.get('x')]).toEqual([undefined, 'other']);
  });

  it('against a model: bounded, never stale, never expired, and holds every key written once in the last `capacity` writes (property)', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 12 }), ttl: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(operation, { maxLength: 80 }), (capacity, operations) => {
        jest.restoreAllMocks();
        const advance = clock(10_000);
        const memo = new WriteOrderMemo<string>(capacity);
        const writes: Array<{ key: string; value: string; expiresAt: number }> = [];
        let now = 10_000;
        for (const [index, op] of operations.entries()) {
          if (op.kind === 'wait') {
            advance(op.ms);
            now += op.ms;
          } else if (op.kind === 'set') {
            const key = `k${op.key}`;
            const value = `v${index}`;
            memo.set(key, value, op.ttl);
            writes.push({ key, value, expiresAt: now + op.ttl });
          } else {
            const key = `k${op.key}`;
            const answer = memo.get(key);
            const own = writes.filter((write) => write.key === key);
            const latest = own[own.length - 1];
            if (answer !== undefined) {
              // Only the latest value written for the key, and only before it expires.
              expect(answer).toBe(latest?.value);
              expect(latest!.expiresAt).toBeGreaterThan(now);
            } else if (latest && latest.expiresAt > now) {
              // A miss is allowed only when the key's write left the window or the key was written more than once.
              const inWindow = writes.lastIndexOf(latest) >= writes.length - capacity;
              expect(!inWindow || own.length > 1).toBe(true);
            }
          }
          expect(memo.size).toBeLessThanOrEqual(capacity);
        }
      }),
      { numRuns: 400, seed: 1204 },
    );
  });
});
