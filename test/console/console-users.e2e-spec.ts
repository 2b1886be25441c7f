import { beforeAll, describe, expect, it } from '@jest/globals';
import { ClerkUsersService } from '../../lib/index.js';
import { ClerkConsoleModule } from '../../lib/console/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { ConsoleAccounts, setUpConsole, type ConsoleUser } from './console-support.js';

const ORIGIN = 'http://localhost:3000';

describe.each(PLATFORMS)('staff console: users, local flags and their audit (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, controllers: [ProbeController], imports: [ClerkConsoleModule.forRoot()] });
  let people: ConsoleAccounts;
  let admin: ConsoleUser;

  beforeAll(async () => {
    ({ people, admin } = await setUpConsole(harness, `usr${platform.slice(0, 2)}`));
  });

  const get = (path: string) => harness.http().get(`/clerk-console/api${path}`).set('Authorization', admin.bearer());
  const patch = (id: string, body: unknown, who = admin) =>
    harness.http().patch(`/clerk-console/api/users/${id}`).set('Authorization', who.bearer()).set('Origin', ORIGIN).send(body as object);
  const auditOf = async (id: string) => (await get(`/audit?userId=${id}`).expect(200)).body.items;

  it('searches by prefix of email, username, name or Clerk id, case-insensitively, and filters by flags', async () => {
    const ada = await people.clerkUser({}, { firstName: 'Ada', lastName: 'Lovelace' });
    const grace = await people.clerkUser({ isStaff: true }, { firstName: 'Grace', lastName: 'Hopper' });
    const emails = async (query: string) => (await get(`/users?${query}`).expect(200)).body.items.map((u: { email: string }) => u.email);
    expect(await emails('search=ADA')).toEqual([ada.email]);
    expect(await emails('search=ada%20love')).toEqual([ada.email]);
    expect(await emails('search=hopper')).toEqual([grace.email]);
    expect(await emails(`search=${encodeURIComponent(grace.email.slice(0, 8))}`)).toContain(grace.email);
    expect(await emails(`search=${grace.clerkId.slice(0, 14)}`)).toContain(grace.email);
    expect(await emails('search=%25')).toEqual([]); // wildcards are literal
    expect(await emails('staff=true')).toEqual(expect.arrayContaining([grace.email, admin.email]));
    expect(await emails('staff=true')).not.toContain(ada.email);
    expect(await emails('superuser=true')).toEqual([admin.email]);
    expect(await emails('hasClerkId=false')).toEqual([]);
    expect(await emails(`createdFrom=2999-01-01`)).toEqual([]);
    await get('/users?active=maybe').expect(400);
    await get('/users?limit=0').expect(400);
    await get('/users?cursor=not-a-cursor').expect(400);
    await get('/users/not-a-uuid').expect(400);
    await get('/users/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('pages newest first with nextCursor until the end, each row once', async () => {
    for (let i = 0; i < 4; i++) await people.clerkUser();
    const all = (await get('/users?limit=200').expect(200)).body.items.map((u: { id: string }) => u.id);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const body: { items: Array<{ id: string }>; nextCursor: string | null } = (await get(`/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body;
      seen.push(...body.items.map((u) => u.id));
      cursor = body.nextCursor;
    }
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('deactivates a user (who is refused at once: the cached row is dropped) and reactivates them, each change audited', async () => {
    const member = await people.clerkUser();
    await harness.http().get('/me').set('Authorization', member.bearer()).expect(200);
    const off = await patch(member.row.id, { isActive: false }).expect(200);
    expect(off.body.user).toMatchObject({ id: member.row.id, isActive: false, clerkId: member.clerkId });
    await harness.http().get('/me').set('Authorization', member.bearer()).expect(401);
    await patch(member.row.id, { isActive: true }).expect(200);
    await harness.http().get('/me').set('Authorization', member.bearer()).expect(200);
    const audit = await auditOf(member.row.id);
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ action: 'update', actor: admin.email, actorUserId: admin.row.id, target: member.email, before: { isActive: false }, after: { isActive: true } });
    expect(audit[1]).toMatchObject({ action: 'update', before: { isActive: true }, after: { isActive: false } });
    expect(new Date(audit[0].at).getTime()).toBeGreaterThanOrEqual(new Date(audit[1].at).getTime());
    // The audit table holds the same rows.
    expect(await harness.dataSource.query(`SELECT action, before, after FROM clerk_console_audit WHERE target_user_id = $1 ORDER BY id`, [member.row.id])).toEqual([
      { action: 'update', before: { isActive: true }, after: { isActive: false } },
      { action: 'update', before: { isActive: false }, after: { isActive: true } },
    ]);
  });

  it('writes only isActive, isStaff and isSuperuser: the Clerk id and every other column are refused (400), nothing changes', async () => {
    const member = await people.clerkUser();
    for (const body of [{ clerkId: 'user_other' }, { email: 'x@example.com' }, { isActive: 'false' }, { isStaff: null }, {}, [], 'text']) {
      await patch(member.row.id, body).expect(400);
    }
    await patch(member.row.id, { isActive: false, clerkId: null }).expect(400);
    const row = await harness.dataSource.query(`SELECT "clerkId", "isActive", email FROM clerk_users WHERE id = $1`, [member.row.id]);
    expect(row).toEqual([{ clerkId: member.clerkId, isActive: true, email: member.email }]);
    expect(await auditOf(member.row.id)).toEqual([]);
  });

  it('a change that changes nothing writes no audit row', async () => {
    const member = await people.clerkUser();
    await patch(member.row.id, { isActive: true, isStaff: false }).expect(200);
    expect(await auditOf(member.row.id)).toEqual([]);
  });

  it("never changes one's own flags (403)", async () => {
    await patch(admin.row.id, { isStaff: true }).expect(403);
    await patch(admin.row.id, { isSuperuser: false }).expect(403);
    expect(await harness.dataSource.query(`SELECT "isSuperuser" FROM clerk_users WHERE id = $1`, [admin.row.id])).toEqual([{ isSuperuser: true }]);
  });

  describe('the last active superuser', () => {
    let first: ConsoleUser;
    let second: ConsoleUser;
    const activeSuperusers = async () => (await harness.dataSource.query(`SELECT id FROM clerk_users WHERE "isSuperuser" AND "isActive"`)).map((r: { id: string }) => r.id);

    beforeAll(async () => {
      first = await people.clerkUser({ isSuperuser: true });
      second = await people.clerkUser({ isSuperuser: true });
    });
    // Each test starts with exactly two active superusers: first and second (the suite's admin set aside).
    const onlyFirstAndSecond = async () => {
      await harness.dataSource.query(`UPDATE clerk_users SET "isSuperuser" = (id = ANY($1)), "isActive" = true WHERE "isSuperuser" OR id = ANY($1)`, [[first.row.id, second.row.id]]);
      for (const who of [admin, first, second]) await harness.app.get(ClerkUsersService).invalidate(who.clerkId);
    };
    const restoreAdmin = async () => {
      await harness.dataSource.query(`UPDATE clerk_users SET "isSuperuser" = true, "isActive" = true WHERE id = $1`, [admin.row.id]);
      await harness.app.get(ClerkUsersService).invalidate(admin.clerkId);
    };

    it('is never demoted or deactivated (409): here the acting superuser was demoted elsewhere and this instance still has the old row cached', async () => {
      await onlyFirstAndSecond();
      await harness.http().get('/me').set('Authorization', first.bearer()).expect(200); // cached as a superuser
      await harness.dataSource.query(`UPDATE clerk_users SET "isSuperuser" = false WHERE id = $1`, [first.row.id]); // another instance's change
      for (const body of [{ isSuperuser: false }, { isActive: false }, { isActive: false, isSuperuser: false }]) {
        const refused = await patch(second.row.id, body, first).expect(409);
        expect(refused.body.message).toMatch(/last active superuser/);
      }
      expect(await activeSuperusers()).toEqual([second.row.id]);
      await restoreAdmin();
      expect(await auditOf(second.row.id)).toEqual([]);
    });

    it('two superusers demoting each other at once: exactly one change is made, one superuser is left', async () => {
      await onlyFirstAndSecond();
      const answers = await Promise.all([patch(second.row.id, { isSuperuser: false }, first), patch(first.row.id, { isActive: false }, second)]);
      // The loser is refused by the rule (409) or, if the winner committed before its request was authenticated, as no longer a superuser (403).
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      const refused = answers.filter((a) => a.status !== 200);
      expect(refused).toHaveLength(1);
      expect([403, 409]).toContain(refused[0].status);
      expect(await activeSuperusers()).toHaveLength(1);
      await restoreAdmin();
    });
  });

  it('shows every column of the row, memberships (null without OrganizationsModule) and never the password hash', async () => {
    const member = await people.clerkUser({}, { firstName: 'Edsger' });
    const body = (await get(`/users/${member.row.id}`).expect(200)).body;
    expect(body.user).toMatchObject({ id: member.row.id, clerkId: member.clerkId, email: member.email, firstName: 'Edsger', isActive: true, publicMetadata: {} });
    expect(Object.keys(body.user)).toEqual(expect.arrayContaining(['createdAt', 'updatedAt', 'lastLogin', 'clerkUpdatedAt', 'clerkDeletedAt']));
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.extraColumns).toEqual([]);
    expect(body.memberships).toBeNull();
    await get('/organizations').expect(404);
  });
});
