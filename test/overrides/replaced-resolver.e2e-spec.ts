import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ClerkUserResolver, ClerkUsersService } from '../../lib/index.js';
import { ClerkTestKit } from '../../lib/testing/index.js';
import { createTestApp, PLATFORMS, type TestApp } from '../support/create-app.js';
import { DomainResolver, OverridesController } from './overrides.controllers.js';

// ClerkUserResolver is an abstract-class token: the `userResolver` extra provides another class for it.
describe.each(PLATFORMS)('a replaced ClerkUserResolver (%s)', (platform) => {
  let kit: ClerkTestKit;
  let harness: TestApp;
  const allowed = 'user_allowed000000000000000001';
  const other = 'user_other00000000000000000001';

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    const api = await kit.startFakeApi();
    api.addUser({ id: allowed, email: 'ada@allowed.example' });
    api.addUser({ id: other, email: 'eve@elsewhere.example' });
    harness = await createTestApp({ clerk: kit.moduleOptions({ userResolver: DomainResolver }), controllers: [OverridesController], platform });
  });
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });

  const get = (path: string, token: string) => request(harness.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it('is the instance behind the ClerkUserResolver token', () => {
    expect(harness.app.get(ClerkUserResolver)).toBeInstanceOf(DomainResolver);
  });

  it('decides who the user is: its users pass, the others get 401 from ClerkUserNotFoundError', async () => {
    const before = DomainResolver.calls;
    expect((await get('/overrides/me', kit.mintSessionToken({ userId: allowed })).expect(200)).body).toEqual({ clerkId: allowed, email: 'ada@allowed.example' });
    await get('/overrides/me', kit.mintSessionToken({ userId: other })).expect(401);
    expect(DomainResolver.calls - before).toBe(2);
  });

  it('the active check still runs after it: the pipeline refuses an inactive row it returns', async () => {
    await harness.dataSource.query(`UPDATE clerk_users SET "isActive" = false WHERE "clerkId" = $1`, [allowed]);
    await harness.app.get(ClerkUsersService).invalidate(allowed);
    const before = DomainResolver.calls;
    await get('/overrides/me', kit.mintSessionToken({ userId: allowed })).expect(401);
    expect(DomainResolver.calls - before).toBe(1);
  });
});
