import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ClerkUser, ClerkUsersModule, ClerkUsersService } from '../../lib/index.js';
import { ClerkCacheService } from '../../lib/cache/clerk-cache.service.js';
import { userCacheKey } from '../../lib/cache/cache-keys.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { createTestApp, type TestApp } from '../support/create-app.js';
import { createSchema } from '../support/legacy-naming.js';
import { expectedSharedCacheKind, sharedCache, type SharedCache } from '../support/shared-cache.js';
import { ProbeController } from '../support/test.controllers.js';

// Security review, finding 1: apps sharing one Redis never read each other's entries. What a
// shared-cache entry holds does not depend on the HTTP platform: Express only.

/** Another app: its own users table (same database, schema `schema`), the given Clerk options and cache. */
async function appInSchema(schema: string, clerk: Parameters<typeof ClerkUsersModule.forRoot>[0]): Promise<INestApplication> {
  await createSchema(schema);
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot({
        type: 'postgres',
        url: process.env.TEST_DATABASE_URL,
        uuidExtension: 'pgcrypto',
        schema,
        dropSchema: true,
        synchronize: true,
        autoLoadEntities: true,
        retryAttempts: 0,
        poolSize: process.env.TEST_DATABASE_EMBEDDED ? 1 : 5,
      }),
      ClerkUsersModule.forRoot(clerk),
    ],
    controllers: [ProbeController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: process.env.TEST_LOG ? ['error', 'warn', 'log', 'debug'] : false });
  await app.init();
  return app;
}

describe('two apps on one Clerk instance, each with its own users table, sharing one cache store', () => {
  let shared: SharedCache;
  beforeAll(() => {
    shared = sharedCache();
  });
  const appA = useClerkTestApp(() => ({ clerk: { cache: shared.cache }, controllers: [ProbeController] }));
  let appB: INestApplication;

  beforeAll(async () => {
    appB = await appInSchema('shared_cache_app_b', appA.kit.moduleOptions({ cache: shared.cache }));
  });
  afterAll(async () => {
    await appB?.close();
    await shared?.disconnect();
  });

  it("app B never answers from app A's cached row: staff in A is not staff in B (GET /require/staff → 403 in B)", async () => {
    const clerkUser = appA.api.addUser({ email: 'staff-in-a-only@example.com' });
    await appA.app.get(ClerkUsersService).upsertFromClerkUser(clerkUser);
    await appA.dataSource.getRepository(ClerkUser).update({ clerkId: clerkUser.id }, { isStaff: true });
    const token = appA.kit.mintSessionToken({ userId: clerkUser.id });

    // A reads its row (staff) and caches it in the shared store.
    await appA.http().get('/require/staff').set('Authorization', `Bearer ${token}`).expect(200);
    expect(await appB.get(DataSource).getRepository(ClerkUser).countBy({ clerkId: clerkUser.id })).toBe(0);

    // B has no row: it provisions its own from Clerk (not staff) instead of reading A's.
    await request(appB.getHttpServer()).get('/require/staff').set('Authorization', `Bearer ${token}`).expect(403);
    expect(await appB.get(DataSource).getRepository(ClerkUser).findOneByOrFail({ clerkId: clerkUser.id })).toMatchObject({ isStaff: false });
    await appA.http().get('/require/staff').set('Authorization', `Bearer ${token}`).expect(200);

    // Both wrote the same cache key, each under its own namespace; neither holds the secret key.
    const [keyA, keyB] = [appA.app, appB].map((app) => app.get(ClerkCacheService).storeKeyOf(userCacheKey(clerkUser.id)));
    expect(keyA).not.toBe(keyB);
    for (const key of [keyA, keyB]) {
      expect(key.endsWith(`:${userCacheKey(clerkUser.id)}`)).toBe(true);
      expect(key).not.toContain(appA.kit.secretKey);
    }
    expect(shared.kind).toBe(expectedSharedCacheKind());
  });

  it('`cacheKeyPrefix` heads every key of its app, ahead of the namespace', async () => {
    const prefixed = await appA.startApp({ clerk: { cache: shared.cache, cacheKeyPrefix: 'tenant-a.prod' }, controllers: [ProbeController], webhookPath: false });
    const key = prefixed.app.get(ClerkCacheService).storeKeyOf(userCacheKey('user_any'));
    expect(key).toMatch(/^tenant-a\.prod:[A-Za-z0-9_-]{16}:clerk:user:user_any$/);
    expect(key).not.toBe(appA.app.get(ClerkCacheService).storeKeyOf(userCacheKey('user_any')));
  });
});

/** One Backend API origin in front of two fake Clerk instances: each request goes to the instance whose secret key it carries. */
async function routerByKey(instances: ReadonlyArray<{ secretKey: string; url: string }>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const target = instances.find((instance) => req.headers.authorization === `Bearer ${instance.secretKey}`) ?? instances[0];
    const upstream = forward(`${target.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('two Clerk instances configured with secretKey only, one apiUrl, one authorizedParties, one cache store', () => {
  let kitA: ClerkTestKit;
  let kitB: ClerkTestKit;
  let router: Awaited<ReturnType<typeof routerByKey>>;
  let shared: SharedCache;
  let appA: TestApp;
  let appB: TestApp;

  beforeAll(async () => {
    [kitA, kitB] = await Promise.all([ClerkTestKit.create(), ClerkTestKit.create()]);
    const apis = await Promise.all([kitA.startFakeApi(), kitB.startFakeApi()]);
    router = await routerByKey([
      { secretKey: kitA.secretKey, url: apis[0].url },
      { secretKey: kitB.secretKey, url: apis[1].url },
    ]);
    shared = sharedCache();
    const secretKeyOnly = (kit: ClerkTestKit) => ({ secretKey: kit.secretKey, apiUrl: router.url, authorizedParties: [kit.authorizedParty], cache: shared.cache });
    appA = await createTestApp({ clerk: secretKeyOnly(kitA), controllers: [ProbeController], webhookPath: false });
    // Same database as A (one users table): only the Clerk instance tells the two apart.
    appB = await createTestApp({ clerk: secretKeyOnly(kitB), controllers: [ProbeController], webhookPath: false });
  });
  afterAll(async () => {
    await appA?.close();
    await appB?.close();
    await router?.close();
    await shared?.disconnect();
    await kitA?.close();
    await kitB?.close();
  });

  it("a token only instance A's keys verify is refused by B, even after A cached its verification", async () => {
    const user = kitA.fakeApi!.addUser({ email: 'instance-a@example.com' });
    const token = kitA.mintSessionToken({ userId: user.id });
    // B fetches its JWKS with its own secret key: A's signing key is not in it.
    await request(appB.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(401);

    await request(appA.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    await request(appB.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(401);
    await request(appB.app.getHttpServer()).get('/auth').set('Authorization', `Bearer ${token}`).expect(401);
    // Each app asked its own instance: the router saw both secret keys.
    expect(kitA.fakeApi!.requests.some((r) => r.path === '/v1/jwks')).toBe(true);
    expect(kitB.fakeApi!.requests.some((r) => r.path === '/v1/jwks')).toBe(true);
  });
});
