import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { StaffAccountsService } from '../../lib/index.js';
import { useClerkTestApp, type KitAppOptions } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestApp } from '../support/create-app.js';
import { expectedSharedCacheKind, sharedCache } from '../support/shared-cache.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { memoryStore, sessionCookieOf, sessionTokenCookie, SessionProbeController, withSessionMiddleware } from './session-support.js';

describe.each(PLATFORMS)('two instances sharing the cache and the session store (%s)', (platform) => {
  let shared: ReturnType<typeof sharedCache>;
  const store = memoryStore(platform);
  beforeAll(() => {
    shared = sharedCache();
  });
  const instance = (): KitAppOptions => ({
    clerk: { cache: shared.cache, sessions: true },
    localAuth: { enabled: true },
    platform,
    configure: withSessionMiddleware(platform, store),
    controllers: [ProbeController, SessionProbeController],
  });
  const first = useClerkTestApp(instance);
  let second: TestApp;

  beforeAll(async () => {
    second = await first.startApp(instance());
  });
  afterAll(async () => {
    await shared?.disconnect();
  });

  it(`a session.revoked webhook on one instance ends that Clerk server session on the other at once (${process.env.TEST_REDIS_URL ? 'Redis' : 'shared in-memory store'})`, async () => {
    const ada = first.api.addUser({ email: `ada-shared-${platform}@example.com` }).id;
    const started = await first.http()
      .get('/me')
      .set('Cookie', sessionTokenCookie(first.kit.mintSessionToken({ userId: ada, sessionId: 'sess_shared_revoked' })))
      .expect(200);
    const revokedCookie = sessionCookieOf(started, platform)!;
    const keptCookie = sessionCookieOf(
      await first.http().get('/me').set('Cookie', sessionTokenCookie(first.kit.mintSessionToken({ userId: ada, sessionId: 'sess_shared_kept' }))).expect(200),
      platform,
    )!;
    // The second instance serves the same server session without any token.
    expect((await request(second.app.getHttpServer()).get('/session-probe/whoami').set('Cookie', revokedCookie).expect(200)).body).toMatchObject({
      method: 'clerk',
      sessionId: 'sess_shared_revoked',
    });

    const revocation = first.kit.signWebhook('session.revoked', { object: 'session', id: 'sess_shared_revoked', user_id: ada, status: 'revoked', updated_at: Date.now() });
    await deliver(first.app, revocation).expect(200);

    await request(second.app.getHttpServer()).get('/me').set('Cookie', revokedCookie).expect(401);
    await first.http().get('/me').set('Cookie', revokedCookie).expect(401);
    await request(second.app.getHttpServer()).get('/me').set('Cookie', keptCookie).expect(200);
    expect(shared.kind).toBe(expectedSharedCacheKind());
    expect(await shared.storedKeyCount()).toBeGreaterThan(0);
  });

  it('the failed-login counters are shared too: failures on one instance limit the account on the other', async () => {
    const account = await first.app.get(StaffAccountsService).createStaffAccount({ email: `shared-limit-${platform}@corp.example`, password: 'correct horse battery staple' });
    const attempt = (app: Pick<TestApp, 'app'>, password: string) =>
      request(app.app.getHttpServer()).post('/auth/local/login').set('Origin', 'http://localhost:3000').send({ email: account.email, password });
    for (let i = 0; i < 5; i++) await attempt(i % 2 ? first : second, 'wrong password').expect(401);
    await attempt(second, 'correct horse battery staple').expect(429);
    await attempt(first, 'correct horse battery staple').expect(429);
  });

  it('a password login made on one instance is served by the other; logout on the other ends it everywhere', async () => {
    const account = await first.app.get(StaffAccountsService).createStaffAccount({ email: `shared-login-${platform}@corp.example`, password: 'correct horse battery staple' });
    const login = await first.http()
      .post('/auth/local/login')
      .set('Origin', 'http://localhost:3000')
      .send({ email: account.email, password: 'correct horse battery staple' })
      .expect(200);
    const cookie = sessionCookieOf(login, platform)!;
    await request(second.app.getHttpServer()).get('/require/staff').set('Cookie', cookie).expect(200);
    await request(second.app.getHttpServer()).post('/auth/local/logout').set('Origin', 'http://localhost:3000').set('Cookie', cookie).expect(204);
    await first.http().get('/require/staff').set('Cookie', cookie).expect(401);
  });
});
