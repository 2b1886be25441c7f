import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer } from 'node:net';
import request from 'supertest';
import type { ClerkUsersForRootOptions } from '../../lib/index.js';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, PLATFORMS, type TestApp, type TestPlatform } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { MachineProbeController } from '../machine/machine.controllers.js';
import { useStallingClerk } from '../users/stalling-backend-api.js';

// Without `jwtKey` a session token needs Clerk's JWKS, and an opaque machine token a Backend API
// call. A Clerk that does not answer must cost a request at most `apiTimeoutMs`, then a 503 with
// Retry-After (the token is neither trusted nor refused); a token that is bad anyway stays a 401.

const API_TIMEOUT_MS = 500;

/** Clerk-backed verification: no `jwtKey`, machine tokens accepted, Backend API at `apiUrl`. */
const networkedOptions = (kit: ClerkTestKit, overrides: ClerkUsersForRootOptions): ClerkUsersForRootOptions =>
  kit.moduleOptions({ jwtKey: undefined, acceptsToken: ['session_token', 'm2m_token'], ...overrides });

const appOn = (kit: ClerkTestKit, platform: TestPlatform, overrides: ClerkUsersForRootOptions) =>
  createTestApp({ clerk: networkedOptions(kit, overrides), platform, controllers: [ProbeController, MachineProbeController], webhookPath: false });

const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
};

const bearer = (harness: TestApp, path: string, token: string) => request(harness.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

describe.each(PLATFORMS)('a Clerk that never answers token verification (%s)', (platform) => {
  const suite = useStallingClerk((kit, apiUrl) =>
    // A server of its own, so @clerk/backend's process-wide JWKS cache (keyed by apiUrl) starts empty.
    appOn(kit, platform, { apiUrl, apiTimeoutMs: API_TIMEOUT_MS }),
  );

  const me = (token: string) => bearer(suite.harness, '/me', token);
  const jwksFetches = () => suite.clerk.count('/v1/jwks');

  it('an expired or malformed session token is a 401 at once, without asking Clerk for the JWKS', async () => {
    suite.clerk.stalled = true;
    const user = suite.api.addUser();
    const expired = suite.kit.mintSessionToken({ userId: user.id, expiresInSeconds: -120 });
    const { result, ms } = await timed(() => me(expired));
    expect(result.status).toBe(401);
    expect(ms).toBeLessThan(API_TIMEOUT_MS);
    await me('not.a.jwt').expect(401);
    expect(jwksFetches()).toBe(0);
  });

  it('a session token while the JWKS fetch hangs: 503 + Retry-After within apiTimeoutMs + 1 s; concurrent requests share one fetch; once Clerk answers, 200', async () => {
    const user = suite.api.addUser({ email: 'stalled-jwks@example.com' });
    const token = suite.kit.mintSessionToken({ userId: user.id });
    suite.clerk.stalled = true;
    const { result: response, ms } = await timed(() => me(token));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toMatchObject({ statusCode: 503 });
    expect(ms).toBeGreaterThanOrEqual(API_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(API_TIMEOUT_MS + 1000);
    expect(jwksFetches()).toBe(1);

    const crowd = await timed(() => Promise.all(Array.from({ length: 20 }, () => me(token))));
    expect(crowd.result.map((r) => r.status)).toEqual(Array(20).fill(503));
    expect(crowd.ms).toBeLessThan(API_TIMEOUT_MS + 1000);
    expect(jwksFetches()).toBe(2);

    suite.clerk.stalled = false;
    expect((await me(token).expect(200)).body).toMatchObject({ clerkId: user.id, email: 'stalled-jwks@example.com' });
    suite.clerk.release();
  });

  it('with the JWKS known, a stall changes nothing for good tokens and forged or expired ones stay 401', async () => {
    const user = suite.api.addUser();
    await me(suite.kit.mintSessionToken({ userId: user.id })).expect(200);
    suite.clerk.stalled = true;
    const before = suite.clerk.paths.length;
    // A new token of a known user: verified with the cached JWKS, the user read locally.
    await me(suite.kit.mintSessionToken({ userId: user.id, sessionId: 'sess_fresh000000000000000000001' })).expect(200);
    // Signed with another key under the same kid: the known key refuses it.
    const forger = await ClerkTestKit.create({ kid: suite.kit.kid });
    await me(forger.mintSessionToken({ userId: user.id })).expect(401);
    await me(suite.kit.mintSessionToken({ userId: user.id, expiresInSeconds: -120 })).expect(401);
    expect(suite.clerk.paths.length).toBe(before);
  });

  it('an opaque machine token while Clerk hangs: 503 + Retry-After within apiTimeoutMs + 1 s; once Clerk answers, 200; an unknown one stays 401', async () => {
    const token = suite.api.issueMachineToken({ type: 'm2m_token', subject: 'mch_caller0000000000000000000001' });
    suite.clerk.stalled = true;
    const { result: response, ms } = await timed(() => bearer(suite.harness, '/machine/only', token));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(ms).toBeGreaterThanOrEqual(API_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(API_TIMEOUT_MS + 1000);
    expect(suite.clerk.count('/m2m_tokens/verify')).toBe(1);

    suite.clerk.stalled = false;
    expect((await bearer(suite.harness, '/machine/only', token).expect(200)).body).toMatchObject({ tokenType: 'm2m_token', user: null });
    await bearer(suite.harness, '/machine/only', 'mt_unknown00000000000000000000000001').expect(401);
    suite.clerk.release();
  });
});

describe('a Clerk that fails rather than hangs', () => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('a JWKS answered with 503 on every retry, and a machine verification answered 500: 503, then 200 once Clerk recovers', async () => {
    const harness = await appOn(kit, 'express', { apiUrl: api.url });
    try {
      const user = api.addUser();
      const token = kit.mintSessionToken({ userId: user.id });
      api.clearRequests();
      // One JWKS fetch, no retries (a failing Clerk must not cost five per request); none again until the Retry-After.
      api.failNext({ status: 503, pathPrefix: '/v1/jwks' });
      const refused = await bearer(harness, '/me', token).expect(503);
      expect(refused.headers['retry-after']).toBe('5');
      await bearer(harness, '/me', token).expect(503);
      expect(api.requests.filter((r) => r.path === '/v1/jwks')).toHaveLength(1);
      const realNow = Date.now.bind(Date);
      jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 5_000);
      await bearer(harness, '/me', token).expect(200);
      jest.restoreAllMocks();

      const machine = api.issueMachineToken({ type: 'm2m_token' });
      api.failNext({ status: 500, pathPrefix: '/m2m_tokens/verify' });
      await bearer(harness, '/machine/only', machine).expect(503);
      await bearer(harness, '/machine/only', machine).expect(200);
    } finally {
      jest.restoreAllMocks();
      await harness.close();
    }
  });

  it('an unreachable Clerk (connection refused): 503 for session and machine tokens, never a 401', async () => {
    const port = await closedPort();
    const harness = await appOn(kit, 'express', { apiUrl: `http://127.0.0.1:${port}` });
    try {
      const user = api.addUser();
      const session = await bearer(harness, '/me', kit.mintSessionToken({ userId: user.id })).expect(503);
      expect(session.headers['retry-after']).toBe('5');
      await bearer(harness, '/machine/only', 'mt_anything000000000000000000000001').expect(503);
    } finally {
      await harness.close();
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
