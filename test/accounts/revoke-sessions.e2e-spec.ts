import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useClerkTestApp, type KitAppOptions } from '../support/clerk-test-app.js';
import type { TestApp } from '../support/create-app.js';
import { expectedSharedCacheKind, sharedCache } from '../support/shared-cache.js';
import { ProbeController } from '../support/test.controllers.js';
import { AccountsTestController } from './accounts-test.controller.js';
import { calls, localRow } from './support.js';

/** revokeAllSessions on one instance: every instance sharing the cache refuses those sessions' tokens on the next request. */
describe('ClerkAccountsService.revokeAllSessions across two instances', () => {
  let shared: ReturnType<typeof sharedCache>;
  beforeAll(() => {
    shared = sharedCache();
  });
  const instance = (): KitAppOptions => ({ clerk: { cache: shared.cache }, controllers: [AccountsTestController, ProbeController] });
  const first = useClerkTestApp(instance);
  let second: TestApp;

  beforeAll(async () => {
    second = await first.startApp(instance());
  });
  afterAll(async () => {
    await shared?.disconnect();
  });
  beforeEach(() => first.api.clearRequests());

  const me = (app: Pick<TestApp, 'app'>, token: string) => request(app.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);

  it(`revoked on instance A, refused on instance B at its next request (${process.env.TEST_REDIS_URL ? 'Redis' : 'shared in-memory store'})`, async () => {
    const ada = first.api.addUser({ email: 'ada-sessions@example.com' });
    const other = first.api.addUser({ email: 'other-sessions@example.com' });
    const laptop = first.api.addSession({ userId: ada.id });
    const phone = first.api.addSession({ userId: ada.id, status: 'pending' });
    const ended = first.api.addSession({ userId: ada.id, status: 'ended' });
    const kept = first.api.addSession({ userId: other.id });
    const laptopToken = first.kit.mintSessionToken({ userId: ada.id, sessionId: laptop.id });
    const keptToken = first.kit.mintSessionToken({ userId: other.id, sessionId: kept.id });
    // B verifies (and caches) the tokens before the revocation.
    await me(second, laptopToken).expect(200);
    await me(second, keptToken).expect(200);
    first.api.clearRequests();

    const response = await first.http().post(`/accounts/users/${ada.id}/revoke-sessions`).expect(200);
    expect(response.body.revoked.sort()).toEqual([laptop.id, phone.id].sort());
    expect(first.api.listSessions(ada.id).map((s) => [s.id, s.status]).sort()).toEqual(
      [[laptop.id, 'revoked'], [phone.id, 'revoked'], [ended.id, 'ended']].sort(),
    );
    expect(calls(first.api).sort()).toEqual(['GET /v1/sessions', `POST /v1/sessions/${laptop.id}/revoke`, `POST /v1/sessions/${phone.id}/revoke`].sort());

    await me(second, laptopToken).expect(401);
    await me(first, laptopToken).expect(401);
    await me(second, keptToken).expect(200);
    expect(shared.kind).toBe(expectedSharedCacheKind());
  });

  it('takes the local row as the user; a user without sessions revokes nothing', async () => {
    const lone = first.api.addUser();
    await me(first, first.kit.mintSessionToken({ userId: lone.id })).expect(200);
    const local = await localRow(first.dataSource, lone.id);
    expect((await first.http().post(`/accounts/users/${local!.id}/revoke-sessions`).expect(200)).body).toEqual({ revoked: [] });
  });

  it('when Clerk refuses a revocation, the ones it made are still refused everywhere, and the error says which call failed', async () => {
    const user = first.api.addUser();
    const sessions = Array.from({ length: 3 }, () => first.api.addSession({ userId: user.id }));
    const tokens = sessions.map((session) => first.kit.mintSessionToken({ userId: user.id, sessionId: session.id }));
    for (const token of tokens) await me(second, token).expect(200);
    // The three are revoked together; Clerk refuses only the first one's.
    first.api.failNext({ status: 403, pathPrefix: `/v1/sessions/${sessions[0].id}/revoke` });
    const refused = await first.http().post(`/accounts/users/${user.id}/revoke-sessions`).expect(502);
    expect(refused.body).toMatchObject({ operation: 'revokeAllSessions', status: 403 });
    await me(second, tokens[0]).expect(200);
    await me(second, tokens[1]).expect(401);
    await me(second, tokens[2]).expect(401);
  });
});
