import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS, type TestApp } from '../support/create-app.js';
import { expectedSharedCacheKind, sharedCache } from '../support/shared-cache.js';
import { ExplicitlyGuardedController, ProbeController } from '../support/test.controllers.js';
import { ApiKeyAreaController, MachineProbeController } from './machine.controllers.js';

const VERIFY_PATHS = ['/m2m_tokens/verify', '/api_keys/verify', '/oauth_applications/access_tokens/verify'];
const USER = 'user_machinehuman000000000000001';

describe.each(PLATFORMS)('machine tokens with acceptsToken "any" (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { acceptsToken: 'any' }, controllers: [MachineProbeController, ApiKeyAreaController, ProbeController] });
  /** Another key pair: its machine JWTs are well-formed but signed by the wrong key. */
  let otherKit: ClerkTestKit;

  beforeAll(async () => {
    otherKit = await ClerkTestKit.create();
    harness.api.addUser({ id: USER, email: 'human@example.com' });
  });
  beforeEach(() => harness.api.clearRequests());

  const get = (path: string, token?: string) => {
    const call = harness.http().get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };
  const verifyCalls = () => harness.api.requests.filter((r) => VERIFY_PATHS.includes(r.path)).length;
  const m2m = (input: Omit<Parameters<FakeClerkApi['issueMachineToken']>[0], 'type'> = {}) => harness.api.issueMachineToken({ type: 'm2m_token', ...input });

  describe('@RequireMachine(): machine callers only', () => {
    it('accepts an M2M token: request.auth tells the kind, no user is resolved or created', async () => {
      const token = m2m({ subject: 'mch_reporting0000000000000001', scopes: ['mch_billing'], claims: { team: 'billing' } });
      const body = (await get('/machine/only', token).expect(200)).body;
      expect(body).toMatchObject({ tokenType: 'm2m_token', user: null, userIsNull: true });
      expect(body.machine).toMatchObject({
        tokenType: 'm2m_token',
        subject: 'mch_reporting0000000000000001',
        machineId: 'mch_reporting0000000000000001',
        scopes: ['mch_billing'],
        claims: { team: 'billing' },
        userId: null,
        name: null,
      });
      expect(body.machine.id).toMatch(/^mt_/);
      expect(body.machine.expiresAt).toBeGreaterThan(Date.now());
      const [{ count }] = await harness.dataSource.query(`SELECT count(*)::int AS count FROM clerk_users WHERE "clerkId" LIKE 'mch_%'`);
      expect(count).toBe(0);
    });
    it('refuses a session token with 401 (a token of another kind is no credential here), without a Clerk call', async () => {
      await get('/machine/only', harness.kit.mintSessionToken({ userId: USER })).expect(401);
      await get('/machine/only').expect(401);
      expect(verifyCalls()).toBe(0);
    });
    it('@RequireMachine(kind) refuses other machine kinds with 401 before any Clerk call', async () => {
      await get('/machine/m2m-only', harness.api.issueMachineToken({ type: 'api_key' })).expect(401);
      await get('/machine/m2m-only', harness.api.issueMachineToken({ type: 'oauth_token' })).expect(401);
      expect(verifyCalls()).toBe(0);
      expect((await get('/machine/m2m-only', m2m()).expect(200)).body.tokenType).toBe('m2m_token');
    });
    it('class metadata is overridden by the handler: @RequireMachine("api_key") class, @AllowMachine("api_key") handler', async () => {
      const key = harness.api.issueMachineToken({ type: 'api_key' });
      const session = harness.kit.mintSessionToken({ userId: USER });
      expect((await get('/keys', key).expect(200)).body).toEqual({ tokenType: 'api_key' });
      await get('/keys', session).expect(401);
      await get('/keys', m2m()).expect(401);
      expect((await get('/keys/shared', key).expect(200)).body).toEqual({ tokenType: 'api_key' });
      expect((await get('/keys/shared', session).expect(200)).body).toEqual({ tokenType: 'session_token' });
    });
  });

  describe('@AllowMachine(): machines besides users', () => {
    it('accepts an M2M token (no user, no org) and a session token (the user)', async () => {
      const machine = (await get('/machine/either', m2m()).expect(200)).body;
      expect(machine).toMatchObject({ tokenType: 'm2m_token', user: null, userIsNull: true, org: null });
      const human = (await get('/machine/either', harness.kit.mintSessionToken({ userId: USER })).expect(200)).body;
      expect(human).toMatchObject({ tokenType: 'session_token', user: USER, machine: null });
    });
    it('a user-only requirement (@RequireStaff) refuses an accepted machine with 403', async () => {
      await get('/machine/staff', m2m()).expect(403);
      await get('/machine/staff').expect(401);
    });
    it('@Public() + @AllowMachine() sets a valid machine caller and ignores a bad one', async () => {
      expect((await get('/machine/public-machines', m2m()).expect(200)).body.tokenType).toBe('m2m_token');
      expect((await get('/machine/public-machines', 'mt_unknown000000000000000000').expect(200)).body.tokenType).toBeNull();
      expect((await get('/machine/public-machines').expect(200)).body.tokenType).toBeNull();
    });
  });

  describe('every other route', () => {
    it('refuses a machine token with 401 although acceptsToken allows it, without a Clerk call', async () => {
      for (const type of ['m2m_token', 'api_key', 'oauth_token'] as const) {
        await get('/machine/users-only', harness.api.issueMachineToken({ type })).expect(401);
        await get('/me', harness.api.issueMachineToken({ type })).expect(401);
      }
      await get('/machine/users-only', harness.kit.mintMachineJwt({ type: 'm2m_token' })).expect(401);
      await get('/machine/users-only', harness.kit.mintMachineJwt({ type: 'oauth_token' })).expect(401);
      expect(verifyCalls()).toBe(0);
      expect((await get('/machine/users-only', harness.kit.mintSessionToken({ userId: USER })).expect(200)).body.user).toBe(USER);
    });
    it('a public route ignores a machine token: the request goes through without a caller', async () => {
      expect((await get('/machine/public', m2m()).expect(200)).body).toMatchObject({ tokenType: null, user: null });
      expect(verifyCalls()).toBe(0);
    });
  });

  describe('API keys and OAuth access tokens', () => {
    it('an API key of a user: name, scopes, claims, userId', async () => {
      const key = harness.api.issueMachineToken({ type: 'api_key', subject: USER, name: 'ci-deploy', scopes: ['deploy'], claims: { env: 'prod' } });
      const { machine } = (await get('/machine/only', key).expect(200)).body;
      expect(machine).toMatchObject({ tokenType: 'api_key', subject: USER, userId: USER, orgId: null, name: 'ci-deploy', scopes: ['deploy'], claims: { env: 'prod' }, expiresAt: null });
      expect(machine.id).toMatch(/^ak_/);
    });
    it('an API key of an organization: orgId', async () => {
      const key = harness.api.issueMachineToken({ type: 'api_key', subject: 'org_acme0000000000000000000001' });
      expect((await get('/machine/only', key).expect(200)).body.machine).toMatchObject({ orgId: 'org_acme0000000000000000000001', userId: null });
    });
    it('an OAuth access token: the user it acts for and the client, still no local user', async () => {
      const token = harness.api.issueMachineToken({ type: 'oauth_token', subject: USER, clientId: 'client_cli00000000000000000001', scopes: ['profile', 'email'] });
      const body = (await get('/machine/either', token).expect(200)).body;
      expect(body).toMatchObject({ tokenType: 'oauth_token', user: null, userIsNull: true });
      expect(body.machine).toMatchObject({ userId: USER, clientId: 'client_cli00000000000000000001', scopes: ['profile', 'email'] });
    });
  });

  describe('refused machine tokens: 401 with the generic body', () => {
    it.each([
      ['unknown', () => 'mt_unknown0000000000000000000'],
      ['revoked', () => m2m({ revoked: true })],
      ['expired', () => m2m({ expiresInSeconds: -60 })],
      ['unknown API key', () => 'ak_unknown0000000000000000000'],
      ['expired API key', () => harness.api.issueMachineToken({ type: 'api_key', expiresInSeconds: -1 })],
      ['revoked OAuth token', () => harness.api.issueMachineToken({ type: 'oauth_token', revoked: true })],
      ['API key sent as an M2M token (wrong prefix for its kind)', () => harness.api.issueMachineToken({ type: 'api_key' }).replace(/^ak_/, 'mt_')],
      ['expired M2M JWT', () => harness.kit.mintMachineJwt({ type: 'm2m_token', expiresInSeconds: -60 })],
      ['M2M JWT signed by another key', () => otherKit.mintMachineJwt({ type: 'm2m_token' })],
    ])('%s', async (_name, make) => {
      const response = await get('/machine/only', make()).expect(401);
      expect(response.body).toEqual({ message: 'Unauthorized', statusCode: 401 });
    });
    it('a machine token in the __session cookie is never a machine credential', async () => {
      await harness.http().get('/machine/only').set('Cookie', `__session=${m2m()}`).expect(401);
      expect(verifyCalls()).toBe(0);
    });
  });

  describe('caching', () => {
    it('a repeat request makes no Clerk call', async () => {
      const token = m2m();
      await get('/machine/only', token).expect(200);
      expect(verifyCalls()).toBe(1);
      await get('/machine/only', token).expect(200);
      await get('/machine/either', token).expect(200);
      expect(verifyCalls()).toBe(1);
    });
    it('a token revoked after its verification stays accepted only while its cached verification lives', async () => {
      const token = m2m();
      await get('/machine/only', token).expect(200);
      harness.api.revokeMachineToken(token);
      // Cached (cacheTtlSeconds bounds the window); a fresh module would be refused, see the cacheTtlSeconds: 0 suite.
      await get('/machine/only', token).expect(200);
      expect(verifyCalls()).toBe(1);
    });
  });

  describe('JWT-format machine tokens (verified with the key, no Backend API call)', () => {
    it('an M2M JWT passes @RequireMachine() networkless', async () => {
      const token = harness.kit.mintMachineJwt({ type: 'm2m_token', subject: 'mch_jwtmachine00000000000000001', scopes: ['mch_a', 'mch_b'] });
      const { machine } = (await get('/machine/only', token).expect(200)).body;
      expect(machine).toMatchObject({ tokenType: 'm2m_token', machineId: 'mch_jwtmachine00000000000000001', scopes: ['mch_a', 'mch_b'] });
      expect(harness.api.requests).toHaveLength(0);
    });
    it('an OAuth JWT (typ at+jwt) passes @AllowMachine() but not @RequireMachine("m2m_token")', async () => {
      const token = harness.kit.mintMachineJwt({ type: 'oauth_token', subject: USER, scopes: ['read'], clientId: 'client_jwt00000000000000000001' });
      expect((await get('/machine/either', token).expect(200)).body.machine).toMatchObject({ tokenType: 'oauth_token', userId: USER, clientId: 'client_jwt00000000000000000001', scopes: ['read'] });
      await get('/machine/m2m-only', token).expect(401);
      expect(harness.api.requests).toHaveLength(0);
    });
  });
});

describe.each(PLATFORMS)('acceptsToken default ("session_token"): machine tokens are refused everywhere (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, controllers: [MachineProbeController, ApiKeyAreaController] });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'human@example.com' });
  });

  it('401 on machine-only, mixed and user routes, without a Clerk call; users still pass where allowed', async () => {
    for (const type of ['m2m_token', 'api_key', 'oauth_token'] as const) {
      const token = harness.api.issueMachineToken({ type });
      for (const path of ['/machine/only', '/machine/either', '/machine/users-only', '/keys', '/keys/shared']) {
        await harness.http().get(path).set('Authorization', `Bearer ${token}`).expect(401);
      }
    }
    await harness.http().get('/machine/only').set('Authorization', `Bearer ${harness.kit.mintMachineJwt({ type: 'm2m_token' })}`).expect(401);
    expect(harness.api.requests.filter((r) => VERIFY_PATHS.includes(r.path))).toHaveLength(0);
    const session = harness.kit.mintSessionToken({ userId: USER });
    expect((await harness.http().get('/machine/either').set('Authorization', `Bearer ${session}`).expect(200)).body.user).toBe(USER);
    await harness.http().get('/machine/only').set('Authorization', `Bearer ${session}`).expect(401);
  });
});

describe.each(PLATFORMS)('acceptsToken ["m2m_token"] with cacheTtlSeconds 0: a machine-only API that verifies every request (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { acceptsToken: ['m2m_token'], cacheTtlSeconds: 0 }, controllers: [MachineProbeController, ApiKeyAreaController] });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'human@example.com' });
  });

  it('session tokens are refused even on @AllowMachine() routes; API keys are refused before any call', async () => {
    await harness.http().get('/machine/either').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: USER })}`).expect(401);
    await harness.http().get('/machine/either').set('Authorization', `Bearer ${harness.api.issueMachineToken({ type: 'api_key' })}`).expect(401);
    expect(harness.api.requests.filter((r) => VERIFY_PATHS.includes(r.path))).toHaveLength(0);
    await harness.http().get('/machine/either').set('Authorization', `Bearer ${harness.api.issueMachineToken({ type: 'm2m_token' })}`).expect(200);
  });
  it('without caching, every request asks Clerk, so a revocation takes effect at once', async () => {
    const token = harness.api.issueMachineToken({ type: 'm2m_token' });
    harness.api.clearRequests();
    await harness.http().get('/machine/only').set('Authorization', `Bearer ${token}`).expect(200);
    await harness.http().get('/machine/only').set('Authorization', `Bearer ${token}`).expect(200);
    expect(harness.api.requests.filter((r) => r.path === '/m2m_tokens/verify')).toHaveLength(2);
    harness.api.revokeMachineToken(token);
    await harness.http().get('/machine/only').set('Authorization', `Bearer ${token}`).expect(401);
  });
});

describe.each(PLATFORMS)('globalGuard: false: explicit guards never take a machine token (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { acceptsToken: 'any', globalGuard: false }, controllers: [ExplicitlyGuardedController, MachineProbeController] });

  it('@UseGuards(ClerkAuthGuard) and AuthGuard("clerk") refuse it; @RequireMachine() brings the guard along and takes it', async () => {
    const token = harness.api.issueMachineToken({ type: 'm2m_token' });
    await harness.http().get('/guarded').set('Authorization', `Bearer ${token}`).expect(401);
    await harness.http().get('/guarded/passport').set('Authorization', `Bearer ${token}`).expect(401);
    expect(harness.api.requests.filter((r) => VERIFY_PATHS.includes(r.path))).toHaveLength(0);
    expect((await harness.http().get('/machine/only').set('Authorization', `Bearer ${token}`).expect(200)).body.tokenType).toBe('m2m_token');
    await harness.http().get('/machine/only').expect(401);
  });
});

describe.each(PLATFORMS)('two instances sharing one cache store: a machine token verified by one is served by the other (%s)', (platform) => {
  let shared: ReturnType<typeof sharedCache>;
  beforeAll(() => {
    shared = sharedCache();
  });
  const instance = () => ({ platform, clerk: { acceptsToken: 'any' as const, cache: shared.cache }, controllers: [MachineProbeController] });
  const first = useClerkTestApp(instance);
  let second: TestApp;

  beforeAll(async () => {
    second = await first.startApp({ ...instance(), database: { synchronize: false } });
  });
  afterAll(async () => {
    await shared?.disconnect();
  });

  it('one Clerk call for both instances, the same machine auth on each', async () => {
    const token = first.api.issueMachineToken({ type: 'api_key', subject: USER, scopes: ['read'] });
    first.api.clearRequests();
    const one = (await first.http().get('/machine/only').set('Authorization', `Bearer ${token}`).expect(200)).body;
    const two = (await request(second.app.getHttpServer()).get('/machine/only').set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(two).toEqual(one);
    expect(first.api.requests.filter((r) => r.path === '/api_keys/verify')).toHaveLength(1);
    expect(shared.kind).toBe(expectedSharedCacheKind());
    expect(await shared.storedKeyCount()).toBeGreaterThan(0);
  });
});
