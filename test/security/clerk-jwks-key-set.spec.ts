import { describe, expect, it } from '@jest/globals';
import { ClerkApiTimeoutError } from '../../lib/clerk-client/clerk-api-deadline.js';
import { ClerkJwksKeySet, JWKS_MAX_AGE_MS, JWKS_MIN_REFRESH_INTERVAL_MS, MAX_REMEMBERED_UNKNOWN_KIDS } from '../../lib/auth/clerk-jwks-key-set.js';
import { ClerkTokenRejectedError } from '../../lib/auth/token-rejected.error.js';

// The key set alone, on a clock of its own: what a flood of unknown kids may cost, and what it may not.

const KID = 'ins_2abcDEF0123456789abcdefXYZ';

function keySet(initialKeys: string[] = [KID]) {
  const clock = { now: 1_000_000 };
  const served = { kids: initialKeys, fail: undefined as unknown };
  let fetches = 0;
  const keys = new ClerkJwksKeySet(
    async () => {
      fetches++;
      await Promise.resolve();
      if (served.fail) throw served.fail;
      return { keys: served.kids.map((kid) => ({ kid, kty: 'RSA', n: 'n', e: 'AQAB' })) };
    },
    () => undefined,
    () => clock.now,
  );
  return { keys, clock, served, fetches: () => fetches, remembered: () => (keys as unknown as { unknownKids: Map<string, number> }).unknownKids.size };
}

const reasonOf = async (pending: Promise<unknown>) => {
  const error = await pending.then(() => undefined, (e: unknown) => e);
  return error instanceof ClerkTokenRejectedError ? error.reason : error;
};

describe('ClerkJwksKeySet', () => {
  it('concurrent unknown kids share one fetch; later ones within the minute fetch nothing', async () => {
    const { keys, fetches } = keySet();
    const reasons = await Promise.all(Array.from({ length: 50 }, (_, i) => reasonOf(keys.keyFor(`ins_forged${i}`))));
    expect(reasons).toEqual(Array(50).fill('jwk-kid-mismatch'));
    expect(await reasonOf(keys.keyFor('ins_another'))).toBe('jwk-kid-mismatch');
    await expect(keys.keyFor(KID)).resolves.toMatchObject({ kid: KID });
    expect(fetches()).toBe(1);
  });

  it('malformed or missing kids never fetch', async () => {
    const { keys, fetches } = keySet();
    for (const kid of [undefined, '', 'ins_', 'sk_live_x', 'ins_a/b', `ins_${'a'.repeat(65)}`, 7]) {
      expect(await reasonOf(keys.keyFor(kid))).toMatch(/^jwk-kid-(missing|malformed)$/);
    }
    expect(fetches()).toBe(0);
  });

  it('a rotated kid is served by the first fetch the minute allows; a kid found missing does not spend it', async () => {
    const { keys, clock, served, fetches } = keySet();
    await keys.keyFor(KID);
    served.kids = [KID, 'ins_rotated'];
    expect(await reasonOf(keys.keyFor('ins_rotated'))).toBe('jwk-kid-mismatch');
    expect(fetches()).toBe(1);
    clock.now += JWKS_MIN_REFRESH_INTERVAL_MS;
    // Whoever comes first after the minute causes the fetch; the new kid is then known to all.
    expect(await reasonOf(keys.keyFor('ins_forgedFirst'))).toBe('jwk-kid-mismatch');
    await expect(keys.keyFor('ins_rotated')).resolves.toMatchObject({ kid: 'ins_rotated' });
    expect(fetches()).toBe(2);
    clock.now += JWKS_MIN_REFRESH_INTERVAL_MS;
    expect(await reasonOf(keys.keyFor('ins_forgedFirst'))).toBe('jwk-kid-mismatch');
    expect(fetches()).toBe(2);
  });

  it('remembers at most MAX_REMEMBERED_UNKNOWN_KIDS kids', async () => {
    const { keys, clock, remembered } = keySet();
    for (let i = 0; i < MAX_REMEMBERED_UNKNOWN_KIDS + 50; i++) {
      clock.now += JWKS_MIN_REFRESH_INTERVAL_MS;
      await reasonOf(keys.keyFor(`ins_flood${i}`));
    }
    expect(remembered()).toBe(MAX_REMEMBERED_UNKNOWN_KIDS);
  });

  it('keys are fetched again after JWKS_MAX_AGE_MS; a failed fetch is the error (503), then a back-off', async () => {
    const { keys, clock, served, fetches } = keySet();
    await keys.keyFor(KID);
    clock.now += JWKS_MAX_AGE_MS;
    const throttled = Object.assign(new Error('429'), { status: 429, retryAfter: 30, clerkError: true });
    served.fail = throttled;
    await expect(keys.keyFor(KID)).rejects.toBe(throttled);
    await expect(keys.keyFor(KID)).rejects.toBe(throttled);
    expect(fetches()).toBe(2);
    clock.now += 30_000;
    served.fail = undefined;
    await expect(keys.keyFor(KID)).resolves.toMatchObject({ kid: KID });
    expect(fetches()).toBe(3);
  });

  it('a timed-out fetch may be retried at once (one in flight at a time)', async () => {
    const { keys, served, fetches } = keySet();
    served.fail = new ClerkApiTimeoutError(500);
    await expect(keys.keyFor(KID)).rejects.toBeInstanceOf(ClerkApiTimeoutError);
    served.fail = undefined;
    await expect(keys.keyFor(KID)).resolves.toMatchObject({ kid: KID });
    expect(fetches()).toBe(2);
  });
});
