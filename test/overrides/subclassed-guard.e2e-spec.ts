import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ClerkUsersService } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { HeaderTokenGuard, OverridesController } from './overrides.controllers.js';

// The guard's protected hooks (extractCredential, isUserActive, refuse), installed with the `globalGuard` extra.
describe.each(PLATFORMS)('a ClerkAuthGuard subclass as the global guard (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { globalGuard: HeaderTokenGuard }, controllers: [OverridesController] });
  const member = 'user_member00000000000000000001';
  const staff = 'user_staff000000000000000000001';
  const suspended = 'user_suspended0000000000000001';

  beforeAll(async () => {
    harness.api.addUser({ id: member, email: 'member@example.com' });
    harness.api.addUser({ id: staff, email: 'staff@example.com' });
    harness.api.addUser({ id: suspended, email: 'suspended@example.com', publicMetadata: { suspended: true } });
    await get('/overrides/me', harness.kit.mintSessionToken({ userId: staff })).expect(200);
    await harness.dataSource.query(`UPDATE clerk_users SET "isStaff" = true WHERE "clerkId" = $1`, [staff]);
    await harness.app.get(ClerkUsersService).invalidate(staff);
  });
  beforeEach(() => {
    HeaderTokenGuard.refusals.length = 0;
  });

  const get = (path: string, token?: string) => {
    const call = harness.http().get(path);
    return token ? call.set('X-Session-Token', token) : call;
  };

  it('reads the credential where extractCredential says, and only there', async () => {
    expect((await get('/overrides/me', harness.kit.mintSessionToken({ userId: member })).expect(200)).body).toEqual({ clerkId: member, email: 'member@example.com' });
    const bearer = await harness.http().get('/overrides/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: member })}`).expect(401);
    expect(bearer.body).toEqual({ statusCode: 401, error: 'SignInRequired', reason: 'no-credential' });
  });

  it('is the only guard on @Require… routes: the decorator defers to it instead of re-checking with the default rules', async () => {
    // The base guard the decorator attaches would look for `Authorization` and refuse.
    expect((await get('/overrides/staff', harness.kit.mintSessionToken({ userId: staff })).expect(200)).body).toEqual({ email: 'staff@example.com' });
    await get('/overrides/staff', harness.kit.mintSessionToken({ userId: member })).expect(403);
  });

  it('sends every 401 through refuse, with the reason, also on @Require… routes', async () => {
    const expired = await get('/overrides/staff', harness.kit.mintSessionToken({ userId: staff, expiresInSeconds: -60 })).expect(401);
    expect(expired.body).toEqual({ statusCode: 401, error: 'SignInRequired', reason: expect.stringMatching(/expired/) });
    const anonymous = await get('/overrides/staff').expect(401);
    expect(anonymous.body.error).toBe('SignInRequired');
    expect(HeaderTokenGuard.refusals).toHaveLength(2);
  });

  it('applies its own active check after the user is resolved', async () => {
    const refused = await get('/overrides/me', harness.kit.mintSessionToken({ userId: suspended })).expect(401);
    expect(refused.body.reason).toBe('user-inactive');
    // On a public route the same user is simply anonymous.
    expect((await get('/overrides/public', harness.kit.mintSessionToken({ userId: suspended })).expect(200)).body).toEqual({ clerkId: null });
  });
});
