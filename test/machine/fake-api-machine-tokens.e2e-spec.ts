import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { verifyMachineAuthToken } from '@clerk/backend/internal';
import { useClerkTestKit } from '../support/clerk-test-app.js';

/** The test kit's fake Backend API answers the machine token verification calls of @clerk/backend itself. */
describe('FakeClerkApi: machine token verification', () => {
  const suite = useClerkTestKit();
  let clerk: ClerkClient;

  beforeAll(() => {
    clerk = createClerkClient({ secretKey: suite.kit.secretKey, apiUrl: suite.api.url, telemetry: { disabled: true } });
  });
  beforeEach(() => suite.api.clearRequests());

  it('POST /m2m_tokens/verify answers an M2M token with the fields @clerk/backend maps', async () => {
    const token = suite.api.issueMachineToken({ type: 'm2m_token', subject: 'mch_sender00000000000000000001', scopes: ['mch_receiver'], claims: { a: 1 }, expiresInSeconds: 600 });
    const verified = await clerk.m2m.verify({ token });
    expect(verified).toMatchObject({ subject: 'mch_sender00000000000000000001', scopes: ['mch_receiver'], claims: { a: 1 }, revoked: false, expired: false });
    expect(verified.id).toMatch(/^mt_/);
    expect(verified.expiration).toBeGreaterThan(Date.now() + 590_000);
    expect(suite.api.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/m2m_tokens/verify', authorization: `Bearer ${suite.kit.secretKey}` })]);
  });

  it('POST /api_keys/verify and /oauth_applications/access_tokens/verify answer their kinds', async () => {
    const key = suite.api.issueMachineToken({ type: 'api_key', subject: 'org_acme0000000000000000000001', name: 'deploy', scopes: ['write'] });
    expect(await clerk.apiKeys.verify(key)).toMatchObject({ type: 'api_key', name: 'deploy', subject: 'org_acme0000000000000000000001', scopes: ['write'], expiration: null });
    expect(suite.api.getMachineToken(key)?.lastUsedAt).toEqual(expect.any(Number));
    const oauth = suite.api.issueMachineToken({ type: 'oauth_token', subject: 'user_oauth000000000000000000001', clientId: 'client_x' });
    expect(await clerk.idPOAuthAccessToken.verify(oauth)).toMatchObject({ type: 'oauth_token', clientId: 'client_x', subject: 'user_oauth000000000000000000001' });
  });

  it('verifyMachineAuthToken routes each prefix to its endpoint and reads unknown, revoked and expired tokens as invalid', async () => {
    const options = { secretKey: suite.kit.secretKey, apiUrl: suite.api.url };
    const ok = await verifyMachineAuthToken(suite.api.issueMachineToken({ type: 'api_key' }), options);
    expect(ok).toMatchObject({ tokenType: 'api_key', errors: undefined });
    for (const token of ['ak_unknown', suite.api.issueMachineToken({ type: 'api_key', revoked: true }), suite.api.issueMachineToken({ type: 'api_key', expiresInSeconds: -1 })]) {
      const refused = await verifyMachineAuthToken(token, options);
      expect(refused.errors?.[0]).toMatchObject({ code: 'token-invalid', status: 404 });
    }
    const revokedLater = suite.api.issueMachineToken({ type: 'oauth_token' });
    suite.api.revokeMachineToken(revokedLater);
    expect((await verifyMachineAuthToken(revokedLater, options)).errors?.[0]).toMatchObject({ status: 404 });
  });

  it('a token of one kind does not verify at another kind\'s endpoint', async () => {
    const m2m = suite.api.issueMachineToken({ type: 'm2m_token' });
    await expect(clerk.apiKeys.verify(m2m)).rejects.toMatchObject({ status: 404 });
  });

  it('checks the secret key (401 in Clerk\'s error shape) and the body (422 missing field, 400 bad JSON), Content-Type exactly application/json', async () => {
    const other = createClerkClient({ secretKey: 'sk_test_wrongwrongwrong', apiUrl: suite.api.url, telemetry: { disabled: true } });
    await expect(other.m2m.verify({ token: suite.api.issueMachineToken({ type: 'm2m_token' }) })).rejects.toMatchObject({ status: 401 });

    const post = (path: string, body: string) =>
      fetch(`${suite.api.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${suite.kit.secretKey}`, 'content-type': 'application/json' }, body });
    const missing = await post('/m2m_tokens/verify', '{}');
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(await missing.json()).toMatchObject({ errors: [{ code: 'form_param_missing', meta: { param_name: 'token' } }] });
    expect((await post('/api_keys/verify', '{not json')).status).toBe(400);
    expect((await post('/v1/m2m_tokens/verify', JSON.stringify({ token: 'mt_x' }))).status).toBe(404);
  });
});
