import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ClerkOrganizationsSync, ClerkUsersSync, OrganizationsModule, SyncUsageError, type SyncReporter } from '../../lib/index.js';
import { buildClerkUser, ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, type TestApp } from '../support/create-app.js';

/** Collects what a sync prints; `sleeps` records back-off waits instead of sleeping. */
function recorder() {
  const lines: string[] = [];
  const sleeps: number[] = [];
  const reporter: SyncReporter = { progress: () => undefined, line: (text) => lines.push(text) };
  const retry = { sleep: async (ms: number) => void sleeps.push(ms), baseDelayMs: 1 };
  return { lines, sleeps, reporter, retry };
}

describe('sync services against the fake Backend API', () => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  let harness: TestApp;
  let users: ClerkUsersSync;

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
    harness = await createTestApp({ clerk: kit.moduleOptions(), imports: [OrganizationsModule.forRoot()] });
    users = harness.app.get(ClerkUsersSync);
  });
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });
  beforeEach(async () => {
    for (const user of api.listUsers()) api.removeUser(user.id);
    await harness.dataSource.query(`TRUNCATE clerk_users, clerk_organizations, clerk_organization_memberships, clerk_organization_invitations`);
    api.clearRequests();
  });

  const count = async () => (await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users`))[0].n as number;
  const seed = (n: number) => Array.from({ length: n }, (_, i) => api.addUser({ email: `user${i}@example.com`, firstName: `U${i}`, createdAt: 1_000 + i }));

  it.each([
    [0, 1],
    [1, 1],
    [500, 1],
    [501, 2],
  ])('%s users with --all --limit 500: every user written, %s list page(s) fetched, no GET per user', async (n, pages) => {
    seed(n);
    const summary = await users.run({ all: true, limit: 500 });
    expect(summary).toMatchObject({ created: n, updated: 0, unchanged: 0, failed: 0, total: n });
    expect(await count()).toBe(n);
    const listCalls = api.requests.filter((r) => r.path === '/v1/users').length;
    expect(listCalls).toBe(pages + (n > 0 && n % 500 === 0 ? 1 : 0));
    expect(api.requests.filter((r) => /^\/v1\/users\/user_/.test(r.path))).toEqual([]);
  });

  it('without --all syncs one page, like the seed; a second run reports everything unchanged', async () => {
    seed(7);
    expect(await users.run({ limit: 5 })).toMatchObject({ created: 5, total: 5 });
    expect(await users.run({ all: true, limit: 5 })).toMatchObject({ created: 2, unchanged: 5, total: 7 });
  });

  it('honours 429 + Retry-After and retries a 5xx page', async () => {
    seed(3);
    const { sleeps, retry } = recorder();
    api.failNext({ status: 429, retryAfterSeconds: 2, pathPrefix: '/v1/users' });
    api.failNext({ status: 503, times: 2, pathPrefix: '/v1/users' });
    const summary = await users.run({ all: true, limit: 2, retry });
    expect(summary).toMatchObject({ created: 3, failed: 0 });
    expect(sleeps[0]).toBe(2000);
    // getUserList sends the list and the count together, so one attempt can use up two injected failures.
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('dry-run writes nothing and says what would change', async () => {
    seed(2);
    const { lines, reporter } = recorder();
    const summary = await users.run({ all: true, dryRun: true, reporter });
    expect(summary).toMatchObject({ created: 2 });
    expect(lines.filter((l) => l.startsWith('would create user_'))).toHaveLength(2);
    expect(await count()).toBe(0);
  });

  it('never overwrites newer local data (webhook) and never revives a deleted user', async () => {
    const [user] = seed(1);
    await harness.dataSource.query(`INSERT INTO clerk_users ("clerkId", "firstName", "clerkUpdatedAt") VALUES ($1, 'from a newer webhook', $2)`, [user.id, new Date(Date.now() + 60_000)]);
    const deleted = api.addUser({ email: 'gone@example.com' });
    await harness.dataSource.query(`INSERT INTO clerk_users ("clerkId", "isActive", "clerkDeletedAt") VALUES ($1, false, now())`, [deleted.id]);
    const summary = await users.run({ all: true });
    expect(summary).toMatchObject({ unchanged: 2, created: 0, updated: 0 });
    expect(await harness.dataSource.query(`SELECT "firstName" FROM clerk_users WHERE "clerkId" = $1`, [user.id])).toEqual([{ firstName: 'from a newer webhook' }]);
    expect(await harness.dataSource.query(`SELECT "isActive" FROM clerk_users WHERE "clerkId" = $1`, [deleted.id])).toEqual([{ isActive: false }]);
  });

  it('links a safe local row on a verified email through the careful path, and updates changed users', async () => {
    const clerkUser = api.addUser({ email: 'legacy@example.com', firstName: 'Linked' });
    await harness.dataSource.query(`INSERT INTO clerk_users (email) VALUES ('legacy@example.com')`);
    expect(await users.run({ all: true })).toMatchObject({ created: 1 });
    expect(await harness.dataSource.query(`SELECT "clerkId", "firstName" FROM clerk_users WHERE email = 'legacy@example.com'`)).toEqual([{ clerkId: clerkUser.id, firstName: 'Linked' }]);
    api.updateUser(clerkUser.id, { first_name: 'Renamed' });
    expect(await users.run({ all: true })).toMatchObject({ updated: 1, unchanged: 0 });
  });

  it('--deactivate-missing deactivates Clerk users that Clerk no longer has, never staff without a Clerk id', async () => {
    seed(2);
    await harness.dataSource.query(`INSERT INTO clerk_users ("clerkId", email) VALUES ('user_vanished00000000000000001', 'vanished@example.com')`);
    await harness.dataSource.query(`INSERT INTO clerk_users (email, "isStaff") VALUES ('staff@example.com', true)`);
    const dry = await users.run({ all: true, deactivateMissing: true, dryRun: true });
    expect(dry.deactivated).toBe(1);
    const summary = await users.run({ all: true, deactivateMissing: true });
    expect(summary).toMatchObject({ created: 2, deactivated: 1 });
    expect(await harness.dataSource.query(`SELECT email, "isActive" FROM clerk_users WHERE email IN ('vanished@example.com', 'staff@example.com') ORDER BY email`)).toEqual([
      { email: 'staff@example.com', isActive: true },
      { email: 'vanished@example.com', isActive: false },
    ]);
    await expect(users.run({ deactivateMissing: true })).rejects.toBeInstanceOf(SyncUsageError);
  });

  it('an interrupted run (a page that keeps failing) reports the failure, deactivates nobody, and a rerun reaches the same end state', async () => {
    seed(9);
    await harness.dataSource.query(`INSERT INTO clerk_users ("clerkId") VALUES ('user_keepme0000000000000000001')`);
    const { retry, lines } = recorder();
    // The first page succeeds; then the API fails long enough for the second page to give up.
    const reporter: SyncReporter = {
      progress: (done) => {
        if (done === 3) api.failNext({ status: 500, times: 6, pathPrefix: '/v1/users' });
      },
      line: (text) => lines.push(text),
    };
    const summary = await users.run({ all: true, limit: 3, deactivateMissing: true, concurrency: 1, retry: { ...retry, attempts: 3 }, reporter });
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/page at offset 3 failed/), 'not deactivating anyone: the listing was incomplete']));
    expect(await count()).toBe(7);
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.deactivated).toBe(0);
    const rerun = await users.run({ all: true, limit: 3, deactivateMissing: true });
    expect(rerun.failed).toBe(0);
    expect(await count()).toBe(10);
    expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "isActive" AND "clerkId" LIKE 'user_%'`)).toEqual([{ n: 9 }]);
    const again = await users.run({ all: true, limit: 3 });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 9 });
  });

  it('rejects bad paging with a usage error', async () => {
    await expect(users.run({ limit: 501 })).rejects.toThrow(/--limit/);
    await expect(users.run({ offset: -1 })).rejects.toThrow(/--offset/);
    await expect(users.run({ concurrency: 0 })).rejects.toThrow(/--concurrency/);
  });

  describe('organizations', () => {
    it('syncs organizations and, with members, memberships; users come from public_user_data (no GET per user)', async () => {
      const org = api.addOrganization({ name: 'Acme', slug: 'acme' });
      const alice = api.addUser({ email: 'alice@example.com', firstName: 'Alice' });
      const bob = api.addUser({ email: 'bob@example.com', firstName: 'Bob' });
      api.addMembership({ organizationId: org.id, userId: alice.id, role: 'org:admin' });
      const bobIn = api.addMembership({ organizationId: org.id, userId: bob.id });
      const sync = harness.app.get(ClerkOrganizationsSync);

      const { lines, reporter } = recorder();
      const dry = await sync.run({ all: true, syncMembers: true, dryRun: true, reporter });
      expect(dry.organizations.created).toBe(1);
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/would add member user_.* as org:admin/), expect.stringMatching(/would create organization org_/)]));
      expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_organizations`)).toEqual([{ n: 0 }]);

      const summary = await sync.run({ all: true, syncMembers: true });
      expect(summary.organizations).toMatchObject({ created: 1, failed: 0 });
      expect(summary.members).toMatchObject({ created: 2, failed: 0 });
      expect(await harness.dataSource.query(`SELECT name, "membersCount" FROM clerk_organizations`)).toEqual([{ name: 'Acme', membersCount: 2 }]);
      expect(await harness.dataSource.query(`SELECT "firstName" FROM clerk_users ORDER BY "firstName"`)).toEqual([{ firstName: 'Alice' }, { firstName: 'Bob' }]);
      expect(api.requests.filter((r) => /^\/v1\/users\/user_/.test(r.path))).toEqual([]);

      api.removeMembership(bobIn.id);
      const rerun = await sync.run({ all: true, syncMembers: true, deactivateMissing: true });
      expect(rerun.organizations.unchanged).toBe(1);
      expect(rerun.members).toMatchObject({ unchanged: 1, deactivated: 1 });
      expect(await harness.dataSource.query(`SELECT "membersCount" FROM clerk_organizations`)).toEqual([{ membersCount: 1 }]);
      api.removeOrganization(org.id);
    });

    it('--deactivate-missing deactivates organizations Clerk no longer has', async () => {
      const kept = api.addOrganization({ name: 'Kept' });
      await harness.dataSource.query(`INSERT INTO clerk_organizations ("clerkId", name) VALUES ('org_gone', 'Gone')`);
      const summary = await harness.app.get(ClerkOrganizationsSync).run({ all: true, deactivateMissing: true });
      expect(summary.organizations).toMatchObject({ created: 1, deactivated: 1 });
      expect(await harness.dataSource.query(`SELECT "clerkId", "isActive" FROM clerk_organizations ORDER BY name`)).toEqual([
        { clerkId: 'org_gone', isActive: false },
        { clerkId: kept.id, isActive: true },
      ]);
      api.removeOrganization(kept.id);
    });
  });
});
