import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import type { Cache } from 'cache-manager';
import { ClerkOrganizationsSync, ClerkUsersSync, OrganizationsModule, OrganizationsService } from '../../lib/index.js';
import { ClerkCacheService } from '../../lib/cache/clerk-cache.service.js';
import { buildClerkMembership, buildClerkOrganization, ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { membershipCacheKey, orgCacheKey } from '../../lib/organizations/organizations.constants.js';
import { createTestApp, type TestApp } from '../support/create-app.js';
import { sharedCache } from '../support/shared-cache.js';

const NEGATIVE_TTL_MS = 30_000;
const ORG_TTL_SECONDS = 900;

interface RedisClient {
  keys(pattern: string): Promise<string[]>;
  pTTL(key: string): Promise<number>;
}

/**
 * Milliseconds `key` has left: on Redis (TEST_REDIS_URL), Redis's own PTTL of the namespaced key;
 * otherwise the expiry the store keeps with the entry.
 */
async function remainingTtlMs(cache: Cache, key: string): Promise<number | undefined> {
  const store = (cache.stores[0] as unknown as { store?: { getClient?: () => Promise<RedisClient> } }).store;
  if (process.env.TEST_REDIS_URL) {
    const client = await store!.getClient!();
    const [redisKey] = await client.keys(`*${key}`);
    return redisKey === undefined ? undefined : client.pTTL(redisKey);
  }
  const expires = await cache.ttl(key);
  return expires === undefined ? undefined : expires - Date.now();
}

const orgEntity = (harness: TestApp, token: string) => request(harness.app.getHttpServer()).get('/org-entity').set('Authorization', `Bearer ${token}`).expect(200);

describe(`"no organization / not a member" is cached at most 30 s (orgCacheTtlSeconds ${ORG_TTL_SECONDS})`, () => {
  describe('in the shared cache store', () => {
    let kit: ClerkTestKit;
    let api: FakeClerkApi;
    let harness: TestApp;
    let shared: ReturnType<typeof sharedCache>;

    beforeAll(async () => {
      kit = await ClerkTestKit.create();
      api = await kit.startFakeApi();
      shared = sharedCache();
      harness = await createTestApp({ clerk: kit.moduleOptions({ cache: shared.cache, orgCacheTtlSeconds: ORG_TTL_SECONDS }), imports: [OrganizationsModule.forRoot()] });
    });
    afterAll(async () => {
      await harness?.close();
      await shared?.disconnect();
      await kit?.close();
    });

    it(`the TTL the store holds: ≤ 30 s for an unknown org and a missing membership, ${ORG_TTL_SECONDS} s for a found one`, async () => {
      const org = api.addOrganization({ name: 'Negative Corp' });
      const user = api.addUser({ email: 'negative@example.com' });
      const token = kit.mintSessionToken({ userId: user.id, org: { id: org.id, role: 'admin' } });

      expect((await orgEntity(harness, token)).body).toEqual({ organization: null });
      for (const key of [orgCacheKey(org.id), membershipCacheKey(org.id, user.id)]) {
        const left = await remainingTtlMs(shared.cache, harness.app.get(ClerkCacheService).storeKeyOf(key));
        expect(left).toBeGreaterThan(NEGATIVE_TTL_MS - 5_000);
        expect(left).toBeLessThanOrEqual(NEGATIVE_TTL_MS);
      }

      // Found rows keep the configured lifetime.
      api.addMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
      await harness.app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });
      expect((await orgEntity(harness, token)).body).toEqual({ organization: { clerkId: org.id, name: 'Negative Corp' } });
      for (const key of [orgCacheKey(org.id), membershipCacheKey(org.id, user.id)]) {
        expect(await remainingTtlMs(shared.cache, harness.app.get(ClerkCacheService).storeKeyOf(key))).toBeGreaterThan((ORG_TTL_SECONDS - 5) * 1000);
      }
      expect(shared.kind).toMatch(/Redis|shared in-memory store/);
    });
  });

  describe('in the process-local default cache', () => {
    let kit: ClerkTestKit;
    let api: FakeClerkApi;
    let harness: TestApp;
    /** Another process on the same database, sharing no cache with `harness`. */
    let other: TestApp;

    beforeAll(async () => {
      kit = await ClerkTestKit.create();
      api = await kit.startFakeApi();
      harness = await createTestApp({ clerk: kit.moduleOptions({ orgCacheTtlSeconds: ORG_TTL_SECONDS }), imports: [OrganizationsModule.forRoot()] });
      other = await createTestApp({ clerk: kit.moduleOptions(), imports: [OrganizationsModule.forRoot()], webhookPath: false });
    });
    afterAll(async () => {
      await harness?.close();
      await other?.close();
      await kit?.close();
    });
    afterEach(() => {
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    it('a membership written by a process that shares no cache shows within 30 s: the clock moved, not slept', async () => {
      const org = api.addOrganization({ name: 'Elsewhere Inc' });
      const user = api.addUser({ email: 'elsewhere@example.com' });
      const cache = harness.app.get(ClerkCacheService);
      const set = jest.spyOn(cache, 'set');
      // Only Date is faked: timers, the database driver and HTTP keep real time.
      jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
      const start = Date.now();
      const token = () => kit.mintSessionToken({ userId: user.id, org: { id: org.id, role: 'admin' } });

      expect((await orgEntity(harness, token())).body).toEqual({ organization: null });
      const ttlOf = (key: string) => set.mock.calls.find(([written]) => written === key)?.[2];
      expect(ttlOf(membershipCacheKey(org.id, user.id))).toBeLessThanOrEqual(NEGATIVE_TTL_MS);
      expect(ttlOf(orgCacheKey(org.id))).toBeLessThanOrEqual(NEGATIVE_TTL_MS);

      // The other process records the org and the membership: nothing tells this one.
      api.addMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
      await other.app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });

      jest.setSystemTime(start + NEGATIVE_TTL_MS - 1_000);
      expect((await orgEntity(harness, token())).body).toEqual({ organization: null });
      jest.setSystemTime(start + NEGATIVE_TTL_MS + 1);
      expect((await orgEntity(harness, token())).body).toEqual({ organization: { clerkId: org.id, name: 'Elsewhere Inc' } });
    });
  });
});

describe('a sync run by another instance on the same shared cache is seen by the next request', () => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  let serving: TestApp;
  let syncing: TestApp;
  let shared: ReturnType<typeof sharedCache>;
  /** Runs when the syncing instance has deleted a key from the shared store (to provoke a race). */
  let afterDelete: ((key: string) => Promise<void>) | null = null;
  /** The key the store holds a cache key under (the app's namespace in front). */
  const stored = (key: string) => syncing.app.get(ClerkCacheService).storeKeyOf(key);

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
    shared = sharedCache();
    const options = { orgCacheTtlSeconds: ORG_TTL_SECONDS, cacheTtlSeconds: 3600 };
    // The syncing instance's view of the same store, with a hook after each deletion.
    const hooked = {
      get: (key: string) => shared.cache.get(key),
      set: (key: string, value: unknown, ttl?: number) => shared.cache.set(key, value, ttl),
      del: async (key: string) => {
        const deleted = await shared.cache.del(key);
        await afterDelete?.(key);
        return deleted;
      },
    } as unknown as Cache;
    serving = await createTestApp({ clerk: kit.moduleOptions({ cache: shared.cache, ...options }), imports: [OrganizationsModule.forRoot()] });
    syncing = await createTestApp({ clerk: kit.moduleOptions({ cache: hooked, ...options }), imports: [OrganizationsModule.forRoot()], webhookPath: false });
  });
  afterAll(async () => {
    await serving?.close();
    await syncing?.close();
    await shared?.disconnect();
    await kit?.close();
  });

  it('a new membership (the org was cached as found, the membership as missing)', async () => {
    const org = api.addOrganization({ name: 'Synced Org' });
    const user = api.addUser({ email: 'synced-member@example.com' });
    await syncing.app.get(ClerkOrganizationsSync).run({ all: true });
    const token = kit.mintSessionToken({ userId: user.id, org: { id: org.id, role: 'admin' } });
    expect((await orgEntity(serving, token)).body).toEqual({ organization: null });

    api.addMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
    await syncing.app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });
    expect((await orgEntity(serving, token)).body).toEqual({ organization: { clerkId: org.id, name: 'Synced Org' } });
  });

  it('the invalidation is repeated after the commit: a request between the write and its commit cannot pin the old answer', async () => {
    const org = api.addOrganization({ name: 'Racing Org' });
    const user = api.addUser({ email: 'racing@example.com' });
    await syncing.app.get(ClerkOrganizationsSync).run({ all: true });
    const token = kit.mintSessionToken({ userId: user.id, org: { id: org.id, role: 'admin' } });
    expect((await orgEntity(serving, token)).body).toEqual({ organization: null });

    // When the sync drops the membership key (inside its transaction, before the commit), the serving
    // instance answers a request at that very moment and caches what it can see: no membership yet.
    let raced: unknown;
    const key = membershipCacheKey(org.id, user.id);
    afterDelete = async (deleted) => {
      if (deleted === stored(key) && raced === undefined) raced = (await orgEntity(serving, token)).body;
    };
    try {
      api.addMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
      await syncing.app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });
    } finally {
      afterDelete = null;
    }
    expect(raced).toEqual({ organization: null });
    expect((await orgEntity(serving, token)).body).toEqual({ organization: { clerkId: org.id, name: 'Racing Org' } });
  });

  it('OrganizationsService writes without a manager (an app calling it directly) repeat their invalidations after the commit too', async () => {
    const service = syncing.app.get(OrganizationsService);
    const org = buildClerkOrganization({ name: 'Direct Org' });
    const user = api.addUser({ email: 'direct@example.com' });
    await service.upsertFromClerkOrganization(org);
    const token = kit.mintSessionToken({ userId: user.id, org: { id: org.id, role: 'admin' } });
    expect((await orgEntity(serving, token)).body).toEqual({ organization: null });

    let raced: unknown;
    const key = membershipCacheKey(org.id, user.id);
    afterDelete = async (deleted) => {
      if (deleted === stored(key) && raced === undefined) raced = (await orgEntity(serving, token)).body;
    };
    try {
      await service.upsertMembershipFromClerk(buildClerkMembership({ organization: org, user, role: 'org:admin' }));
    } finally {
      afterDelete = null;
    }
    expect(raced).toEqual({ organization: null });
    expect((await orgEntity(serving, token)).body).toEqual({ organization: { clerkId: org.id, name: 'Direct Org' } });

    afterDelete = async (deleted) => {
      if (deleted === stored(orgCacheKey(org.id))) await orgEntity(serving, token);
    };
    try {
      await service.deleteOrganization(org.id);
    } finally {
      afterDelete = null;
    }
    expect((await orgEntity(serving, token)).body).toEqual({ organization: null });
  });

  it('a removed membership, a re-joined one and a deleted organization (--deactivate-missing)', async () => {
    const org = api.addOrganization({ name: 'Comes And Goes' });
    const user = api.addUser({ email: 'comes-and-goes@example.com' });
    const membership = api.addMembership({ organizationId: org.id, userId: user.id, role: 'org:member' });
    const sync = (options: Parameters<ClerkOrganizationsSync['run']>[0]) => syncing.app.get(ClerkOrganizationsSync).run({ all: true, ...options });
    await sync({ syncMembers: true });
    const token = kit.mintSessionToken({ userId: user.id, org: { id: org.id, role: 'member' } });
    expect((await orgEntity(serving, token)).body.organization).toEqual({ clerkId: org.id, name: 'Comes And Goes' });

    api.removeMembership(membership.id);
    await sync({ syncMembers: true, deactivateMissing: true });
    expect((await orgEntity(serving, token)).body.organization).toBeNull();

    api.addMembership({ organizationId: org.id, userId: user.id, role: 'org:member' });
    await sync({ syncMembers: true });
    expect((await orgEntity(serving, token)).body.organization).toEqual({ clerkId: org.id, name: 'Comes And Goes' });

    api.removeOrganization(org.id);
    await sync({ deactivateMissing: true });
    expect((await orgEntity(serving, token)).body.organization).toBeNull();
  });

  it('a user changed in Clerk: the cached row is dropped by the user sync', async () => {
    const user = api.addUser({ email: 'synced-user@example.com', firstName: 'Before' });
    const token = kit.mintSessionToken({ userId: user.id });
    const me = () => request(serving.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await me()).body.fullName).toBe('Before');
    api.updateUser(user.id, { first_name: 'After', updated_at: Date.now() + 1_000 });
    await syncing.app.get(ClerkUsersSync).run({ all: true });
    expect((await me()).body.fullName).toBe('After');
  });
});
