import { beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeClerkApi } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ScopedAreaController, ScopedController } from './authorization.controllers.js';

const USER = 'user_scopes000000000000000000001';
type MachineInput = Parameters<FakeClerkApi['issueMachineToken']>[0];

describe.each(PLATFORMS)('@RequireScopes(): machine tokens must hold every scope (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { acceptsToken: 'any' }, controllers: [ScopedController, ScopedAreaController] });

  beforeAll(() => {
    harness.api.addUser({ id: USER, email: 'scopes@example.com' });
  });

  const get = (path: string, bearer?: string) => {
    const call = harness.http().get(path);
    return bearer ? call.set('Authorization', `Bearer ${bearer}`) : call;
  };
  const opaque = (input: MachineInput) => harness.api.issueMachineToken(input);

  it.each<[string, (scopes: string[]) => string]>([
    ['M2M token (opaque)', (scopes) => opaque({ type: 'm2m_token', scopes })],
    ['API key', (scopes) => opaque({ type: 'api_key', scopes })],
    ['OAuth access token (opaque)', (scopes) => opaque({ type: 'oauth_token', scopes })],
    ['M2M token (JWT, scopes claim)', (scopes) => harness.kit.mintMachineJwt({ type: 'm2m_token', scopes })],
    ['OAuth access token (JWT, scope claim)', (scopes) => harness.kit.mintMachineJwt({ type: 'oauth_token', scopes })],
  ])('%s: all scopes → 200, one missing → 403, none → 403', async (_name, mint) => {
    const all = (await get('/scoped/reports', mint(['reports:read', 'reports:write', 'other'])).expect(200)).body;
    expect(all.scopes).toEqual(expect.arrayContaining(['reports:read', 'reports:write']));
    expect((await get('/scoped/reports', mint(['reports:read'])).expect(403)).body).toEqual({ statusCode: 403, message: 'Scope required', error: 'Forbidden' });
    await get('/scoped/reports', mint([])).expect(403);
  });

  it('401 without a token and for a session token on a @RequireMachine() route; scopes are never a substring match', async () => {
    await get('/scoped/reports').expect(401);
    await get('/scoped/reports', harness.kit.mintSessionToken({ userId: USER })).expect(401);
    await get('/scoped/reports', opaque({ type: 'm2m_token', scopes: ['reports:read reports:write'] })).expect(403);
    await get('/scoped/reports', opaque({ type: 'm2m_token', scopes: ['reports', 'reports:writer', 'reports:read'] })).expect(403);
  });

  it('@AllowMachine() + @RequireScopes(): machines need the scope, users are not subject to scopes', async () => {
    await get('/scoped/either', opaque({ type: 'api_key', scopes: ['reports:read'] })).expect(200);
    await get('/scoped/either', opaque({ type: 'api_key', scopes: ['billing:read'] })).expect(403);
    expect((await get('/scoped/either', harness.kit.mintSessionToken({ userId: USER })).expect(200)).body).toEqual({ tokenType: 'session_token' });
    await get('/scoped/either').expect(401);
  });

  it('a user-only requirement (@RequireFeature) still refuses a machine that holds the scope', async () => {
    await get('/scoped/feature', opaque({ type: 'api_key', scopes: ['reports:read'] })).expect(403);
    await get('/scoped/feature', harness.kit.mintSessionToken({ userId: USER, claims: { fea: 'u:export' } })).expect(200);
  });

  it('handler scopes override class scopes', async () => {
    const admin = opaque({ type: 'm2m_token', scopes: ['admin'] });
    const reader = opaque({ type: 'm2m_token', scopes: ['reports:read'] });
    await get('/scoped-area', admin).expect(200);
    await get('/scoped-area', reader).expect(403);
    await get('/scoped-area/reports', reader).expect(200);
    await get('/scoped-area/reports', admin).expect(403);
    await get('/scoped-area/reports').expect(401);
  });
});
