import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSourceOptions } from 'typeorm';
import { clerkOptionsFromEnv, ClerkUsersConfigurationError } from '../../lib/index.js';
import { resolveClerkUsersOptions } from '../../lib/options/resolve-options.js';
import { ClerkCacheService } from '../../lib/cache/clerk-cache.service.js';
import { cacheNamespaceOf, databaseIdentityOf, type CacheNamespaceParts, type ClerkCacheNamespace } from '../../lib/cache/clerk-cache-namespace.js';
import { LocalTtlCache } from '../../lib/cache/local-ttl-cache.js';
import { LocalLoginLimiter, MAX_LOCAL_COUNTERS, type AdmittedLoginAttempt } from '../../lib/sessions/local-login-limiter.js';
import type { ResolvedClerkUsersOptions } from '../../lib/options/clerk-users-options.interface.js';

// Security review, findings 1 and 3, below the HTTP suites (shared-cache-isolation, local-cache-flood):
// what a namespace is made of, and the rules of the process-local stores.

describe('the shared-cache namespace', () => {
  const base: CacheNamespaceParts = {
    clerk: { secretKey: 'sk_test_instance_a', apiUrl: 'https://api.clerk.com' },
    database: ['postgres', 'db.internal', '5432', 'app'],
    tables: ['clerk_users', '', ''],
  };

  it('changes with each part: the Clerk instance, the database, a cached table, the prefix', () => {
    const variants: CacheNamespaceParts[] = [
      { ...base, clerk: { ...base.clerk, secretKey: 'sk_test_instance_b' } },
      { ...base, clerk: { ...base.clerk, jwtKey: '-----BEGIN PUBLIC KEY-----' } },
      { ...base, clerk: { ...base.clerk, publishableKey: 'pk_test_b' } },
      { ...base, clerk: { ...base.clerk, apiUrl: 'http://127.0.0.1:9999' } },
      { ...base, database: ['postgres', 'db.internal', '5432', 'other_app'] },
      { ...base, tables: ['tenant_b.clerk_users', '', ''] },
      { ...base, tables: ['clerk_users', 'clerk_organizations', 'clerk_organization_memberships'] },
      { ...base, prefix: 'staging' },
    ];
    const namespaces = new Set([base, ...variants].map(cacheNamespaceOf));
    expect(namespaces.size).toBe(variants.length + 1);
    expect(cacheNamespaceOf(base)).toBe(cacheNamespaceOf({ ...base, clerk: { ...base.clerk } }));
  });

  it('is `[prefix:]` and 16 base64url characters; the secret key is hashed, never in it', () => {
    expect(cacheNamespaceOf(base)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(cacheNamespaceOf({ ...base, prefix: 'shop.prod' })).toMatch(/^shop\.prod:[A-Za-z0-9_-]{16}$/);
    expect(cacheNamespaceOf(base)).not.toContain('sk_test');
  });

  it('reads the database as TypeORM connects to it (the url wins), without credentials', () => {
    const fromUrl = databaseIdentityOf({ type: 'postgres', url: 'postgres://app:secret@db.internal:5432/app' } as DataSourceOptions);
    expect(fromUrl).toEqual(['postgres', 'db.internal', '5432', 'app']);
    expect(databaseIdentityOf({ type: 'postgres', url: 'postgres://app:rotated@db.internal:5432/app' } as DataSourceOptions)).toEqual(fromUrl);
    expect(databaseIdentityOf({ type: 'postgres', host: 'db.internal', port: 5432, database: 'app', password: 'x' } as DataSourceOptions)).toEqual(fromUrl);
    expect(databaseIdentityOf({ type: 'postgres', replication: { master: { host: 'primary', port: 5433, database: 'app' }, slaves: [] } } as DataSourceOptions)).toEqual([
      'postgres',
      'primary',
      '5433',
      'app',
    ]);
  });

  it('option cacheKeyPrefix: 1–64 letters, digits or . _ : -; CLERK_CACHE_KEY_PREFIX in the environment', () => {
    const keys = { jwtKey: undefined, secretKey: 'sk_test_prefix' };
    expect(resolveClerkUsersOptions({ ...keys, cacheKeyPrefix: 'tenant-a.prod:v2' }).cacheKeyPrefix).toBe('tenant-a.prod:v2');
    expect(resolveClerkUsersOptions(keys).cacheKeyPrefix).toBeUndefined();
    for (const bad of ['', 'has space', 'glob*', 'x'.repeat(65), 'tab\t', 42]) {
      expect(() => resolveClerkUsersOptions({ ...keys, cacheKeyPrefix: bad as string })).toThrow(ClerkUsersConfigurationError);
    }
    expect(() => resolveClerkUsersOptions({ ...keys, cacheKeyPrefix: 'a b' })).toThrow('cacheKeyPrefix');
    expect(clerkOptionsFromEnv({ CLERK_CACHE_KEY_PREFIX: ' shop ' }).cacheKeyPrefix).toBe('shop');
  });
});

describe('the process-local stores', () => {
  afterEach(() => {
    jest.useRealTimers();
  });
  const clock = (start: number) => {
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    return (ms: number) => jest.setSystemTime(ms);
  };

  it('full, the general store drops expired entries first, however old the live ones are', () => {
    const setTime = clock(1_000_000);
    const cache = new LocalTtlCache<string>(3);
    cache.set('oldest-live', 'a', 60_000);
    cache.set('short', 'b', 1_000);
    cache.set('live', 'c', 60_000);
    setTime(1_002_000);
    cache.set('new', 'd', 60_000);
    expect(['oldest-live', 'short', 'live', 'new'].map((key) => cache.get(key))).toEqual(['a', undefined, 'c', 'd']);
    // Nothing expired: of the entries that expire soonest, the oldest write goes.
    cache.set('newer', 'e', 60_000);
    expect(cache.get('oldest-live')).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('full with nothing expired, the general store drops the entry that expires soonest, not the first one written', () => {
    clock(2_000_000);
    const cache = new LocalTtlCache<string>(3);
    cache.set('first-long', 'a', 60_000);
    cache.set('short', 'b', 5_000);
    cache.set('middle', 'c', 30_000);
    cache.set('new', 'd', 60_000);
    expect(['first-long', 'short', 'middle', 'new'].map((key) => cache.get(key))).toEqual(['a', undefined, 'c', 'd']);
    // A rewrite moves a key's expiry: its old place in the queue no longer counts.
    cache.set('middle', 'c2', 90_000);
    cache.set('newest', 'e', 60_000);
    expect(['first-long', 'middle', 'new', 'newest'].map((key) => cache.get(key))).toEqual([undefined, 'c2', 'd', 'e']);
    expect(cache.size).toBe(3);
  });

  it('a full general store keeps its bound under a stream of new keys, each time dropping the entry that expires soonest', () => {
    clock(3_000_000);
    const cache = new LocalTtlCache<number>(100);
    // The rule restated on a plain list: a new key in a full store first drops the entry with the
    // soonest expiry (of equal ones, the earliest write).
    const model: Array<{ index: number; expiresAt: number }> = [];
    for (let index = 0; index < 5_000; index++) {
      const ttl = 60_000 + (index % 7) * 1_000;
      cache.set(`token-${index}`, index, ttl);
      if (model.length >= 100) {
        const soonest = model.reduce((best, entry) => (entry.expiresAt < best.expiresAt || (entry.expiresAt === best.expiresAt && entry.index < best.index) ? entry : best));
        model.splice(model.indexOf(soonest), 1);
      }
      model.push({ index, expiresAt: 3_000_000 + ttl });
    }
    expect(cache.size).toBe(100);
    const held = Array.from({ length: 5_000 }, (_, index) => index).filter((index) => cache.get(`token-${index}`) === index);
    expect(held).toEqual(model.map(({ index }) => index).sort((a, b) => a - b));
    expect(held.filter((index) => index % 7 === 6).length).toBeGreaterThan(80);
  });

  it('a security store never evicts a live entry: full, it refuses new keys until one expires', () => {
    const setTime = clock(2_000_000);
    const store = new LocalTtlCache<number>(2, 'refuse');
    expect(store.set('revoked:1', 1, 10_000)).toBe(true);
    expect(store.set('revoked:2', 2, 20_000)).toBe(true);
    expect(store.set('flood', 3, 60_000)).toBe(false);
    expect(store.set('revoked:1', 11, 10_000)).toBe(true); // an existing key is updated in place
    expect([store.get('revoked:1'), store.get('revoked:2'), store.get('flood')]).toEqual([11, 2, undefined]);
    expect(store.hasRoomFor(1)).toBe(false);
    expect(store.msUntilNextExpiry()).toBe(10_000);
    setTime(2_010_000);
    expect(store.hasRoomFor(1)).toBe(true);
    expect(store.set('next', 4, 1_000)).toBe(true);
  });

  it('expired entries leave even when never read again (no unbounded growth of an unbounded store)', () => {
    const setTime = clock(3_000_000);
    const store = new LocalTtlCache<boolean>(Infinity, 'refuse');
    for (let i = 0; i < 1_000; i++) store.set(`sess_${i}`, true, 60_000);
    setTime(3_060_000);
    store.set('sess_new', true, 60_000);
    expect(store.size).toBe(1);
  });

  it(`the login limiter, its ${MAX_LOCAL_COUNTERS.toLocaleString('en')} counters full of live windows, refuses attempts that need a new one and keeps counting the others`, async () => {
    Logger.overrideLogger(false); // the refusal below is logged, as it should be
    const options = { localAuth: { failureWindowSeconds: 900 } } as ResolvedClerkUsersOptions;
    const limiter = new LocalLoginLimiter(new ClerkCacheService(null, {} as ClerkCacheNamespace), options);
    const subjects = (n: number) => [
      { key: LocalLoginLimiter.accountKey(`name:${n}`), limit: 5, resetOnSuccess: true },
      { key: LocalLoginLimiter.ipKey(`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`), limit: 20, resetOnSuccess: false },
    ];
    let admitted = 0;
    for (let n = 0; n < MAX_LOCAL_COUNTERS / 2; n++) {
      const gate = await limiter.begin(subjects(n));
      if (gate.limited) break;
      admitted += 1;
      await gate.finish(false);
    }
    expect(admitted).toBe(MAX_LOCAL_COUNTERS / 2);

    const refused = await limiter.begin(subjects(MAX_LOCAL_COUNTERS));
    expect(refused).toMatchObject({ limited: true });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(800);

    // Subjects that have a counter still get their attempts, counted up to their limit.
    for (let i = 1; i < 5; i++) {
      const gate = await limiter.begin(subjects(7));
      expect(gate.limited).toBe(false);
      await (gate as AdmittedLoginAttempt).finish(false);
    }
    expect(await limiter.begin(subjects(7))).toMatchObject({ limited: true });
  }, 120_000);
});
