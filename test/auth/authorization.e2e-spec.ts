import { beforeAll, describe, expect, it } from '@jest/globals';
import { ClerkUsersService } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

describe.each(PLATFORMS)('@Public, @CurrentUser, @CurrentOrg and the authorization decorators (%s)', (platform) => {
  const harness = useClerkTestApp({ platform });
  const member = 'user_member00000000000000000001';
  const staff = 'user_staff000000000000000000001';
  const org = { id: 'org_acme0000000000000000000001', slug: 'acme' };

  beforeAll(async () => {
    harness.api.addUser({ id: member, email: 'member@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    harness.api.addUser({ id: staff, email: 'staff@example.com' });
    // Provision the staff user, then promote the local row (staff flags are local, never from Clerk).
    await harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: staff })}`).expect(200);
    await harness.dataSource.query(`UPDATE clerk_users SET "isStaff" = true WHERE "clerkId" = $1`, [staff]);
    await harness.app.get(ClerkUsersService).invalidate(staff);
  });

  const get = (path: string, token?: string) => {
    const call = harness.http().get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  describe('@Public: optional authentication', () => {
    it('answers without a token, with no user', async () => {
      expect((await get('/public').expect(200)).body).toEqual({ user: null });
    });
    it('sets the user when a valid token is sent', async () => {
      const body = (await get('/public', harness.kit.mintSessionToken({ userId: member })).expect(200)).body;
      expect(body.user).toMatchObject({ clerkId: member, email: 'member@example.com', fullName: 'Ada Lovelace' });
    });
    it('ignores an invalid token instead of refusing the request', async () => {
      expect((await get('/public', harness.kit.mintSessionToken({ userId: member, expiresInSeconds: -60 })).expect(200)).body).toEqual({ user: null });
      expect((await get('/public', 'garbage').expect(200)).body).toEqual({ user: null });
    });
    it('still enforces a requirement placed on a public route', async () => {
      await get('/public-but-org').expect(401);
      await get('/public-but-org', harness.kit.mintSessionToken({ userId: member })).expect(403);
      await get('/public-but-org', harness.kit.mintSessionToken({ userId: member, org })).expect(200);
    });
  });

  describe('@CurrentUser and request.auth', () => {
    it('@CurrentUser() is the local entity and @CurrentUser(prop) picks a property', async () => {
      const token = harness.kit.mintSessionToken({ userId: member });
      expect((await get('/me', token).expect(200)).body).toMatchObject({ clerkId: member, isActive: true });
      expect((await get('/me/email', token).expect(200)).body).toEqual({ email: 'member@example.com' });
    });
    it('request.auth carries the session claims', async () => {
      const body = (await get('/auth', harness.kit.mintSessionToken({ userId: member, sessionId: 'sess_abc', org: { ...org, role: 'admin' } })).expect(200)).body;
      expect(body).toMatchObject({ userId: member, sessionId: 'sess_abc', sessionStatus: 'active', orgId: org.id, orgRole: 'org:admin', orgSlug: 'acme' });
    });
  });

  describe.each([1, 2] as const)('org claims of a v%s token', (version) => {
    const permissions = ['org:posts:read', 'org:posts:manage', 'org:billing:read'];
    it('@CurrentOrg() decodes id, slug, prefixed role and permissions; request.org is the id', async () => {
      const token = harness.kit.mintSessionToken({ userId: member, version, org: { ...org, role: 'admin', permissions } });
      expect((await get('/org', token).expect(200)).body).toEqual({
        org: { id: org.id, slug: 'acme', role: 'org:admin', permissions: expect.arrayContaining(permissions) },
        requestOrg: org.id,
      });
    });
    it('@CurrentOrg() is null without an active org', async () => {
      expect((await get('/org', harness.kit.mintSessionToken({ userId: member, version })).expect(200)).body).toEqual({ org: null, requestOrg: null });
    });
    it.each([
      ['/require/org', { role: 'member' }, 200],
      ['/require/admin', { role: 'admin' }, 200],
      ['/require/admin', { role: 'org:admin' }, 200],
      ['/require/admin', { role: 'member' }, 403],
      ['/require/admin-or-billing', { role: 'billing' }, 200],
      ['/require/admin-or-billing', { role: 'member' }, 403],
      ['/require/posts', { role: 'member', permissions: ['org:posts:read', 'org:posts:manage'] }, 200],
      ['/require/posts', { role: 'member', permissions: ['org:posts:read'] }, 403],
      ['/require/posts', { role: 'admin', permissions: [] }, 403],
      ['/require/admin-and-read', { role: 'admin', permissions: ['org:posts:read'] }, 200],
      ['/require/admin-and-read', { role: 'admin', permissions: ['org:billing:read'] }, 403],
      ['/require/admin-and-read', { role: 'member', permissions: ['org:posts:read'] }, 403],
    ])('%s with %j → %s', async (path, orgInput, status) => {
      await get(path, harness.kit.mintSessionToken({ userId: member, version, org: { ...org, ...orgInput } })).expect(status);
    });
  });

  it('a v2 token cannot smuggle flat v1 org claims', async () => {
    const token = harness.kit.mintSessionToken({ userId: member, version: 2, claims: { org_id: org.id, org_role: 'org:admin', org_permissions: ['org:posts:read'] } });
    expect((await get('/org', token).expect(200)).body.org).toBeNull();
    await get('/require/admin', token).expect(403);
  });

  it('every requirement answers 403 without an org, 401 without a token', async () => {
    for (const path of ['/require/org', '/require/admin', '/require/posts', '/require/staff', '/require/superuser']) {
      await get(path).expect(401);
    }
    const noOrg = harness.kit.mintSessionToken({ userId: member });
    for (const path of ['/require/org', '/require/admin', '/require/posts']) {
      const response = await get(path, noOrg).expect(403);
      expect(response.body.statusCode).toBe(403);
    }
  });

  it('@RequireStaff and @RequireSuperuser read the local row', async () => {
    await get('/require/staff', harness.kit.mintSessionToken({ userId: member })).expect(403);
    await get('/require/staff', harness.kit.mintSessionToken({ userId: staff })).expect(200);
    await get('/require/superuser', harness.kit.mintSessionToken({ userId: staff })).expect(403);
  });

  it('handler metadata overrides class metadata', async () => {
    const asMember = harness.kit.mintSessionToken({ userId: member, org: { ...org, role: 'member' } });
    const asAdmin = harness.kit.mintSessionToken({ userId: member, org: { ...org, role: 'admin' } });
    await get('/admin-area', asMember).expect(403);
    await get('/admin-area', asAdmin).expect(200);
    await get('/admin-area/members-welcome', asMember).expect(200);
    await get('/admin-area/members-welcome', asAdmin).expect(403);
  });
});
