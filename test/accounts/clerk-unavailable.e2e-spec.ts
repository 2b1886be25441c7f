import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createTestApp } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { useStallingClerk } from '../users/stalling-backend-api.js';
import { AccountsTestController } from './accounts-test.controller.js';
import { localRow, rowVersion } from './support.js';

const API_TIMEOUT_MS = 300;

/** A Backend API that does not answer: ClerkApiError with no status, no local write, and a creation never sent twice. */
describe('ClerkAccountsService while Clerk does not answer', () => {
  const suite = useStallingClerk((kit, apiUrl) =>
    createTestApp({ clerk: kit.moduleOptions({ apiUrl, apiTimeoutMs: API_TIMEOUT_MS }), controllers: [AccountsTestController, ProbeController] }),
  );
  afterEach(() => suite.clerk.release());

  const http = () => request(suite.harness.app.getHttpServer());

  it('createUser times out once (never repeated: the first attempt may have gone through) as ClerkApiError status null', async () => {
    suite.clerk.stalled = true;
    const response = await http().post('/accounts/users').send({ email: 'stalled-create@example.com' }).expect(502);
    expect(response.body).toMatchObject({ operation: 'createUser', status: null, code: null });
    expect(suite.clerk.count('/v1/users')).toBe(1);
  });

  it('ban is repeated after a timeout (harmless to repeat) and, Clerk still silent, writes nothing', async () => {
    const user = suite.api.addUser();
    await http().get('/me').set('Authorization', `Bearer ${suite.kit.mintSessionToken({ userId: user.id })}`).expect(200);
    const version = await rowVersion(suite.harness.dataSource, user.id);
    suite.clerk.stalled = true;
    const response = await http().post(`/accounts/users/${user.id}/ban`).expect(502);
    expect(response.body).toMatchObject({ operation: 'ban', status: null });
    expect(suite.clerk.count(`/v1/users/${user.id}/ban`)).toBe(4);
    expect(await rowVersion(suite.harness.dataSource, user.id)).toBe(version);
    expect(await localRow(suite.harness.dataSource, user.id)).toMatchObject({ isActive: true });
  });
});
