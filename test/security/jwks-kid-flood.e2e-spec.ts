import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ClerkTestKit, FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, PLATFORMS, type TestApp } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';

// Without `jwtKey` a session token's key comes from Clerk's JWKS. `verifyToken` fetches the JWKS again
// for every kid it does not know (5 attempts when Clerk fails), so forged tokens with made-up kids
// would spend the app's Backend API quota. These specs hold the verifier to at most one JWKS fetch in
// flight, at most about one a minute, no fetch for a malformed kid, and a real new kid still served.

const API_TIMEOUT_MS = 2000;
const MINUTE_MS = 60_000;

const randomKid = () => `ins_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
};

/** The clock the verifier reads, moved forward (tokens are minted to outlive the jump). */
const advanceClock = (ms: number) => {
  const realNow = Date.now.bind(Date);
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + ms);
};

describe.each(PLATFORMS)('forged tokens with unknown kids, without jwtKey (%s)', (platform) => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  /** The JWKS the fake serves, changed in place to rotate keys. */
  const jwks: { keys: Array<Record<string, unknown>> } = { keys: [] };
  let harness: TestApp;

  const startApp = () =>
    createTestApp({
      clerk: kit.moduleOptions({ jwtKey: undefined, apiUrl: api.url, apiTimeoutMs: API_TIMEOUT_MS }),
      platform,
      controllers: [ProbeController],
      webhookPath: false,
    });

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    jwks.keys = [kit.jwk];
    api = await FakeClerkApi.start({ secretKey: kit.secretKey, jwks });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await harness?.close();
  });
  afterAll(async () => {
    await api?.close();
    await kit?.close();
  });

  const me = (token: string) => request(harness.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);
  const jwksFetches = () => api.requests.filter((r) => r.path === '/v1/jwks').length;
  /** A well-signed token whose kid Clerk never issued. */
  const forged = (userId: string, kid = randomKid()) =>
    kit.signJwt({ alg: 'RS256', typ: 'JWT', kid }, { sub: userId, sid: 'sess_forged', azp: kit.authorizedParty, iss: kit.issuer, exp: Math.floor(Date.now() / 1000) + 600 });

  it('200 requests with random kids cost at most 2 JWKS fetches, all 401; a real token still passes', async () => {
    harness = await startApp();
    api.requests.length = 0;
    const user = api.addUser();
    const statuses: number[] = [];
    // In waves, so both concurrent and sequential forgeries are covered.
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => me(forged(user.id))));
      statuses.push(...answers.map((r) => r.status));
    }
    expect(statuses).toEqual(Array(200).fill(401));
    // The first wave shares the one fetch a cold start needs; the JWKS then answers for every later kid.
    expect(jwksFetches()).toBe(1);
    await me(kit.mintSessionToken({ userId: user.id })).expect(200);
    expect(jwksFetches()).toBeLessThanOrEqual(2);
  });

  it('a malformed kid is a 401 without any JWKS fetch', async () => {
    harness = await startApp();
    api.requests.length = 0;
    const user = api.addUser();
    for (const kid of ['../../v1/users', 'x'.repeat(300), 'kid_not_clerk', 'ins_', 'ins_a.b', 42, null]) {
      await me(forged(user.id, kid as string)).expect(401);
    }
    expect(jwksFetches()).toBe(0);
  });

  it('after a key rotation, a token of the new kid passes once the minute allows a fetch, while forgeries keep coming', async () => {
    harness = await startApp();
    api.requests.length = 0;
    const user = api.addUser();
    await me(kit.mintSessionToken({ userId: user.id, expiresInSeconds: 3600 })).expect(200);
    expect(jwksFetches()).toBe(1);

    const rotated = await ClerkTestKit.create();
    jwks.keys = [kit.jwk, rotated.jwk];
    const fresh = rotated.mintSessionToken({ userId: user.id, expiresInSeconds: 3600 });

    // Within the minute: no fetch, forgeries refused, the real new kid not yet known.
    await Promise.all(Array.from({ length: 20 }, () => me(forged(user.id)).expect(401)));
    expect(jwksFetches()).toBe(1);

    // The minute passes while the attack goes on: one fetch, whoever causes it, and the new kid is served.
    advanceClock(MINUTE_MS + 1000);
    const crowd = await Promise.all([...Array.from({ length: 20 }, () => me(forged(user.id))), me(fresh), ...Array.from({ length: 20 }, () => me(forged(user.id)))]);
    expect(crowd.map((r) => r.status)).toEqual([...Array(20).fill(401), 200, ...Array(20).fill(401)]);
    expect(jwksFetches()).toBe(2);
    await me(rotated.mintSessionToken({ userId: user.id, sessionId: 'sess_rotated00000000000000000002', expiresInSeconds: 3600 })).expect(200);
    expect(jwksFetches()).toBe(2);
  });

  it('with Clerk answering 429, a forged token fails fast after one fetch, and more forgeries fetch nothing', async () => {
    harness = await startApp();
    api.requests.length = 0;
    const user = api.addUser();
    api.failNext({ status: 429, retryAfterSeconds: 30, times: 100, pathPrefix: '/v1/jwks' });
    const { result, ms } = await timed(() => me(forged(user.id)));
    expect([401, 503]).toContain(result.status);
    expect(ms).toBeLessThan(500);
    expect(jwksFetches()).toBe(1);
    const more = await timed(() => Promise.all(Array.from({ length: 50 }, () => me(forged(user.id)))));
    expect(more.result.every((r) => r.status === 401 || r.status === 503)).toBe(true);
    expect(jwksFetches()).toBe(1);
    // eslint-disable-next-line no-console
    console.info(`[${platform}] 429 from Clerk: first forged request ${result.status} in ${ms.toFixed(0)} ms; 50 more in ${more.ms.toFixed(0)} ms, ${jwksFetches()} JWKS fetch`);
  });
});
