import { describe, expect, it } from '@jest/globals';
import { ClerkUsersService } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

describe.each(PLATFORMS)('first-request provisioning and safe linking (%s)', (platform) => {
  const harness = useClerkTestApp({ platform });

  const me = (userId: string) => harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId })}`);
  const rowsWith = (where: string, params: unknown[]) =>
    harness.dataSource.query(`SELECT id, "clerkId", email, username, "isActive", "firstName" FROM clerk_users WHERE ${where} ORDER BY "createdAt"`, params);
  const insertLocal = async (values: Record<string, unknown>) => {
    const columns = Object.keys(values).map((c) => `"${c}"`).join(', ');
    const placeholders = Object.keys(values).map((_, i) => `$${i + 1}`).join(', ');
    const [row] = await harness.dataSource.query(`INSERT INTO clerk_users (${columns}) VALUES (${placeholders}) RETURNING id`, Object.values(values));
    return row.id as string;
  };
  const userApiCalls = (userId: string) => harness.api.requests.filter((r) => r.path === `/v1/users/${userId}`).length;

  it('creates the row from the Clerk record with one API call, once', async () => {
    const clerkUser = harness.api.addUser({ email: 'New.Person@Example.com', firstName: 'New', lastName: 'Person', username: 'newbie' });
    const first = await me(clerkUser.id).expect(200);
    expect(first.body).toMatchObject({ clerkId: clerkUser.id, email: 'new.person@example.com', fullName: 'New Person' });
    await me(clerkUser.id).expect(200);
    await me(clerkUser.id).expect(200);
    expect(userApiCalls(clerkUser.id)).toBe(1);
    expect(await rowsWith('"clerkId" = $1', [clerkUser.id])).toEqual([
      expect.objectContaining({ email: 'new.person@example.com', username: 'newbie', isActive: true }),
    ]);
  });

  it('twenty concurrent first requests create one row with one API call', async () => {
    const clerkUser = harness.api.addUser({ email: 'crowd@example.com' });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => me(clerkUser.id).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await rowsWith('"clerkId" = $1', [clerkUser.id])).toHaveLength(1);
    expect(userApiCalls(clerkUser.id)).toBe(1);
  });

  it('links an existing plain local row on a verified primary email', async () => {
    const localId = await insertLocal({ email: 'legacy@example.com', firstName: 'Legacy' });
    const clerkUser = harness.api.addUser({ email: 'LEGACY@example.com', firstName: 'Linked' });
    expect((await me(clerkUser.id).expect(200)).body).toMatchObject({ id: localId, clerkId: clerkUser.id, email: 'legacy@example.com' });
    expect(await rowsWith('email = $1', ['legacy@example.com'])).toEqual([expect.objectContaining({ id: localId, clerkId: clerkUser.id, firstName: 'Linked' })]);
  });

  it.each([
    ['an unverified Clerk email', { email: 'unverified@example.com' }, { emailVerified: false }],
    ['a staff row', { email: 'staff-row@example.com', isStaff: true }, {}],
    ['a superuser row', { email: 'root-row@example.com', isSuperuser: true }, {}],
    ['an inactive row', { email: 'disabled-row@example.com', isActive: false }, {}],
  ])('never links to %s: a separate row is created without the email', async (_name, local, clerkInput) => {
    const localId = await insertLocal(local);
    const clerkUser = harness.api.addUser({ email: local.email as string, ...clerkInput });
    const body = (await me(clerkUser.id).expect(200)).body;
    expect(body.id).not.toBe(localId);
    expect(body.email).toBeNull();
    expect(await rowsWith('id = $1', [localId])).toEqual([expect.objectContaining({ clerkId: null, email: local.email })]);
  });

  it('never links by username and never takes a local account\'s username', async () => {
    const localId = await insertLocal({ username: 'admin' });
    const clerkUser = harness.api.addUser({ email: 'someone@example.com', username: 'admin' });
    const body = (await me(clerkUser.id).expect(200)).body;
    expect(body.id).not.toBe(localId);
    expect(await rowsWith('"clerkId" = $1', [clerkUser.id])).toEqual([expect.objectContaining({ username: null, email: 'someone@example.com' })]);
    expect(await rowsWith('id = $1', [localId])).toEqual([expect.objectContaining({ clerkId: null, username: 'admin' })]);
  });

  it('never takes over a row that already holds another Clerk id; a re-signup after deletion gets a fresh active row', async () => {
    const deleted = harness.api.addUser({ email: 'returning@example.com' });
    await me(deleted.id).expect(200);
    await harness.app.get(ClerkUsersService).deactivate(deleted.id);
    await me(deleted.id).expect(401);

    const returning = harness.api.addUser({ email: 'returning@example.com' });
    const body = (await me(returning.id).expect(200)).body;
    expect(body).toMatchObject({ clerkId: returning.id, email: 'returning@example.com', isActive: true });
    expect(await rowsWith('"clerkId" = $1', [deleted.id])).toEqual([expect.objectContaining({ isActive: false, email: null })]);
  });

  it('an inactive user gets 401, also when the row is cached', async () => {
    const clerkUser = harness.api.addUser({ email: 'soon-inactive@example.com' });
    await me(clerkUser.id).expect(200);
    await harness.dataSource.query(`UPDATE clerk_users SET "isActive" = false WHERE "clerkId" = $1`, [clerkUser.id]);
    await me(clerkUser.id).expect(200); // served from the user cache, as documented (cacheTtlSeconds)
    await harness.app.get(ClerkUsersService).invalidate(clerkUser.id);
    await me(clerkUser.id).expect(401);
  });

  it('a banned Clerk user is provisioned inactive and refused', async () => {
    const clerkUser = harness.api.addUser({ email: 'banned@example.com', banned: true });
    await me(clerkUser.id).expect(401);
    expect(await rowsWith('"clerkId" = $1', [clerkUser.id])).toEqual([expect.objectContaining({ isActive: false })]);
  });

  it('a token for a user Clerk no longer has is a 401 and creates nothing', async () => {
    await me('user_gone00000000000000000000001').expect(401);
    expect(await rowsWith('"clerkId" = $1', ['user_gone00000000000000000000001'])).toEqual([]);
  });

  it('when Clerk answers 5xx the request gets 503 and nothing is written (clerk-api-outage.e2e-spec.ts has the rest)', async () => {
    const clerkUser = harness.api.addUser({ email: 'outage@example.com' });
    harness.api.failNext({ status: 503, pathPrefix: `/v1/users/${clerkUser.id}` });
    await me(clerkUser.id).expect(503);
    expect(await rowsWith('"clerkId" = $1', [clerkUser.id])).toEqual([]);
    expect((await me(clerkUser.id).expect(200)).body).toMatchObject({ clerkId: clerkUser.id, email: 'outage@example.com' });
  });
});

describe.each(PLATFORMS)('provisioning without a secret key (jwtKey only) (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined } });

  it('creates the row from the claims and never links, even on a matching email claim', async () => {
    await harness.dataSource.query(`INSERT INTO clerk_users (email) VALUES ('claims@example.com')`);
    const token = harness.kit.mintSessionToken({ userId: 'user_claims0000000000000000001', claims: { email: 'claims@example.com', first_name: 'Claire' } });
    const body = (await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(body).toMatchObject({ clerkId: 'user_claims0000000000000000001', email: null, fullName: 'Claire' });
    expect(await harness.dataSource.query(`SELECT "clerkId" FROM clerk_users WHERE email = 'claims@example.com'`)).toEqual([{ clerkId: null }]);
  });

  it('a claim that would not fit its column (too long, a NUL byte, not a string) starts blank instead of a 500', async () => {
    const userId = 'user_claimsoversized00000000001';
    const token = harness.kit.mintSessionToken({ userId, claims: { first_name: 'x'.repeat(300), last_name: 'Null\u0000Byte', image_url: { href: 'https://img.example' } } });
    const body = (await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(body).toMatchObject({ clerkId: userId, fullName: '' });
    expect(await harness.dataSource.query(`SELECT "firstName", "lastName", "imageUrl" FROM clerk_users WHERE "clerkId" = $1`, [userId])).toEqual([{ firstName: '', lastName: '', imageUrl: '' }]);
  });
});

describe.each(PLATFORMS)('linkExistingUsersByEmail: false (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, clerk: { linkExistingUsersByEmail: false } });

  it('does not link a matching local row', async () => {
    const [local] = await harness.dataSource.query(`INSERT INTO clerk_users (email) VALUES ('nolink@example.com') RETURNING id`);
    const clerkUser = harness.api.addUser({ email: 'nolink@example.com' });
    const token = harness.kit.mintSessionToken({ userId: clerkUser.id });
    const body = (await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(body.id).not.toBe(local.id);
  });
});
