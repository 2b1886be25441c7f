import { beforeAll, describe, expect, it } from '@jest/globals';
import { ClerkUserResolver, ClerkUsersService } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { DomainResolver, OverridesController } from './overrides.controllers.js';

// ClerkUserResolver is an abstract-class token: the `userResolver` extra provides another class for it.
describe.each(PLATFORMS)('a replaced ClerkUserResolver (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { userResolver: DomainResolver }, controllers: [OverridesController] });
  const allowed = 'user_allowed000000000000000001';
  const other = 'user_other00000000000000000001';

  beforeAll(() => {
    harness.api.addUser({ id: allowed, email: 'ada@allowed.example' });
    harness.api.addUser({ id: other, email: 'eve@elsewhere.example' });
  });

  const get = (path: string, token: string) => harness.http().get(path).set('Authorization', `Bearer ${token}`);

  it('is the instance behind the ClerkUserResolver token', () => {
    expect(harness.app.get(ClerkUserResolver)).toBeInstanceOf(DomainResolver);
  });

  it('decides who the user is: its users pass, the others get 401 from ClerkUserNotFoundError', async () => {
    const before = DomainResolver.calls;
    expect((await get('/overrides/me', harness.kit.mintSessionToken({ userId: allowed })).expect(200)).body).toEqual({ clerkId: allowed, email: 'ada@allowed.example' });
    await get('/overrides/me', harness.kit.mintSessionToken({ userId: other })).expect(401);
    expect(DomainResolver.calls - before).toBe(2);
  });

  it('the active check still runs after it: the pipeline refuses an inactive row it returns', async () => {
    await harness.dataSource.query(`UPDATE clerk_users SET "isActive" = false WHERE "clerkId" = $1`, [allowed]);
    await harness.app.get(ClerkUsersService).invalidate(allowed);
    const before = DomainResolver.calls;
    await get('/overrides/me', harness.kit.mintSessionToken({ userId: allowed })).expect(401);
    expect(DomainResolver.calls - before).toBe(1);
  });
});
