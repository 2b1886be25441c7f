import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ClerkUsersService } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestApp } from '../support/create-app.js';
import type { Cache } from 'cache-manager';
import { expectedSharedCacheKind, sharedCache } from '../support/shared-cache.js';

describe.each(PLATFORMS)('per-request hot path: a warm request makes no query, no network call and no signature check (%s)', (platform) => {
  // No clock skew: a token stops working exactly at its `exp` (the expiry case waits no longer than that).
  const harness = useClerkTestApp({ platform, clerk: { clockSkewSeconds: 0 } });

  it('the first request queries and provisions; every repeat makes zero queries and zero API calls', async () => {
    const user = harness.api.addUser({ email: 'hot@example.com' });
    const token = harness.kit.mintSessionToken({ userId: user.id });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(harness.queries.count).toBeGreaterThan(0);

    harness.queries.reset();
    harness.api.clearRequests();
    for (let i = 0; i < 5; i++) await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(harness.queries.count).toBe(0);
    expect(harness.api.requests).toHaveLength(0);
  });

  it('a new token of a cached user is verified once, then reads no database either', async () => {
    const user = harness.api.addUser({ email: 'hot2@example.com' });
    await harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: user.id })}`).expect(200);
    harness.queries.reset();
    await harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: user.id, sessionId: 'sess_other' })}`).expect(200);
    expect(harness.queries.count).toBe(0);
  });

  it('the verified-token entry never outlives the token', async () => {
    const user = harness.api.addUser({ email: 'short@example.com' });
    const token = harness.kit.mintSessionToken({ userId: user.id, expiresInSeconds: 2 });
    const expiresAt = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp * 1000;
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('invalidate() makes the next request read the row again', async () => {
    const user = harness.api.addUser({ email: 'fresh@example.com', firstName: 'Before' });
    const token = harness.kit.mintSessionToken({ userId: user.id });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    await harness.app.get(ClerkUsersService).upsertFromClerkUser(harness.api.updateUser(user.id, { first_name: 'After' }));
    expect((await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body.fullName).toBe('After');
  });
});

describe.each(PLATFORMS)('two instances sharing one cache store (%s)', (platform) => {
  let shared: ReturnType<typeof sharedCache>;
  beforeAll(() => {
    shared = sharedCache();
  });
  const first = useClerkTestApp(() => ({ platform, clerk: { cache: shared.cache } }));
  let second: TestApp;

  beforeAll(async () => {
    second = await first.startApp({ clerk: { cache: shared.cache }, database: { synchronize: false }, platform });
  });
  afterAll(async () => {
    await shared?.disconnect();
  });

  it('a user loaded by one instance is served by the other without a query', async () => {
    const user = first.api.addUser({ email: 'shared@example.com' });
    const token = first.kit.mintSessionToken({ userId: user.id });
    await first.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    second.queries.reset();
    const body = (await request(second.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(body).toMatchObject({ clerkId: user.id, email: 'shared@example.com' });
    expect(second.queries.count).toBe(0);
    expect(shared.kind).toBe(expectedSharedCacheKind());
    expect(await shared.storedKeyCount()).toBeGreaterThan(0);
  });

  it('invalidation on one instance is seen by the other', async () => {
    const user = first.api.addUser({ email: 'inval@example.com' });
    const token = first.kit.mintSessionToken({ userId: user.id });
    await request(second.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    await first.app.get(ClerkUsersService).deactivate(user.id);
    await request(second.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(401);
  });
});

describe.each(PLATFORMS)('a cache outage (%s)', (platform) => {
  let broken = false;
  // A store that fails on demand, as Redis does when it goes away.
  const store = new Map<string, unknown>();
  const failing = {
    get: async (key: string) => {
      if (broken) throw new Error('ECONNREFUSED 127.0.0.1:6379');
      return store.get(key);
    },
    set: async (key: string, value: unknown) => {
      if (broken) throw new Error('ECONNREFUSED 127.0.0.1:6379');
      store.set(key, value);
    },
    del: async (key: string) => {
      if (broken) throw new Error('ECONNREFUSED 127.0.0.1:6379');
      store.delete(key);
    },
  } as unknown as Cache;
  const harness = useClerkTestApp({ platform, clerk: { cache: failing } });

  it('is a miss, never a 500: requests keep working from the database, and refusals stay refusals', async () => {
    const user = harness.api.addUser({ email: 'outage-cache@example.com' });
    const token = harness.kit.mintSessionToken({ userId: user.id });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    broken = true;
    harness.queries.reset();
    expect((await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body.email).toBe('outage-cache@example.com');
    expect(harness.queries.count).toBeGreaterThan(0);
    await harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: user.id, expiresInSeconds: -30 })}`).expect(401);
    broken = false;
  });
});
