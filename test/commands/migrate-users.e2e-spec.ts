import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ClerkTestKit, FakeApiTraffic, type FakeApiTrafficFront, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, type TestApp } from '../support/create-app.js';
import { libraryBuild } from '../support/library-build.js';
import { startCli } from './cli-child.js';

const BCRYPT = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

let build = '';

const start = (args: string[], env: Record<string, string | undefined>) => startCli(build, args, env, { timeoutMs: 120_000 });
const cli = (args: string[], env: Record<string, string | undefined>) => start(args, env).done;

describe('migrate-users-to-clerk and generate-usernames as a real child process of the built CLI', () => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  let harness: TestApp;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    build = await libraryBuild();
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
    harness = await createTestApp({ clerk: kit.moduleOptions() });
    env = { DATABASE_URL: process.env.TEST_DATABASE_URL, CLERK_SECRET_KEY: kit.secretKey, CLERK_JWT_KEY: kit.jwtKey, CLERK_API_URL: api.url };
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });
  beforeEach(async () => {
    for (const user of api.listUsers()) api.removeUser(user.id);
    await harness.dataSource.query('TRUNCATE clerk_users');
    api.clearRequests();
  });

  const insertUsers = async (count: number, prefix: string, extra: Record<string, unknown> = {}): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const values: Record<string, unknown> = { email: `${prefix}${i}@example.com`, firstName: `F${i}`, lastName: `L${i}`, ...extra };
      const columns = Object.keys(values).map((c) => `"${c}"`).join(', ');
      const [row] = await harness.dataSource.query(`INSERT INTO clerk_users (${columns}) VALUES (${Object.keys(values).map((_, n) => `$${n + 1}`).join(', ')}) RETURNING id`, Object.values(values));
      ids.push(row.id);
    }
    return ids;
  };

  /** What a migration leaves: each local row with the Clerk user it is linked to, described by what Clerk holds. */
  const endState = async (fake: FakeClerkApi) => {
    const rows: Array<{ id: string; email: string; clerkId: string | null }> = await harness.dataSource.query(`SELECT id, email, "clerkId" FROM clerk_users ORDER BY email`);
    return rows.map((row) => {
      const clerkUser = row.clerkId ? fake.getUser(row.clerkId) : undefined;
      return {
        email: row.email,
        linked: !!clerkUser,
        externalIdIsRowId: clerkUser?.external_id === row.id,
        clerkEmails: clerkUser?.email_addresses?.map((e) => e.email_address),
        names: clerkUser && [clerkUser.first_name, clerkUser.last_name],
        password: clerkUser && fake.getUserCredentials(clerkUser.id)?.kind,
      };
    });
  };

  it('--dry-run writes nothing; the run migrates every candidate, prints the summary line and exits 0; a rerun finds nothing to do', async () => {
    await insertUsers(6, 'cli');
    const dry = await cli(['migrate-users-to-clerk', '--dry-run'], env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing written): 6 candidates; created 6, linked 0 (already in Clerk), skipped 0, failed 0');
    expect(api.listUsers()).toEqual([]);

    const result = await cli(['migrate-users-to-clerk', '--batch-size', '4', '--limit', '5'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Migration complete: 5 candidates; created 5, linked 0 \(already in Clerk\), skipped 0, failed 0$/m);
    const rest = await cli(['migrate-users-to-clerk'], env);
    expect(rest.stdout).toMatch(/^Migration complete: 1 candidates; created 1, linked 0 \(already in Clerk\), skipped 0, failed 0$/m);
    expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "clerkId" IS NOT NULL`)).toEqual([{ n: 6 }]);
    expect((await cli(['migrate-users-to-clerk'], env)).stdout).toMatch(/^Migration complete: 0 candidates; created 0, linked 0 \(already in Clerk\), skipped 0, failed 0$/m);
  }, 120_000);

  it('killed mid-run (SIGKILL) and run again: no second Clerk user for any row, the same end state as an uninterrupted run', async () => {
    const TOTAL = 40;
    await insertUsers(TOTAL, 'resume', { passwordHash: BCRYPT });
    const rowIds: Array<{ id: string }> = await harness.dataSource.query('SELECT id FROM clerk_users');
    const withHasher = { ...env, CLERK_MIGRATION_PASSWORD_HASHER: 'bcrypt' };
    // Slow enough to be caught in the middle: 40 ms per call, two calls in flight.
    const front: FakeApiTrafficFront = await FakeApiTraffic.start(api.url, { latencyMs: 40 });
    let killedAt: number;
    try {
      const first = start(['migrate-users-to-clerk', '--concurrency', '2', '--batch-size', '10'], { ...withHasher, CLERK_API_URL: front.url });
      while (api.listUsers().length < 8) await new Promise((resolve) => setTimeout(resolve, 20));
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      killedAt = api.listUsers().length;
    } finally {
      await front.close();
    }
    expect(killedAt).toBeGreaterThanOrEqual(8);
    expect(killedAt).toBeLessThan(TOTAL);
    const [{ n: linkedAfterKill }] = await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "clerkId" IS NOT NULL`);

    const rerun = await cli(['migrate-users-to-clerk'], withHasher);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    const summary = /Migration complete: (\d+) candidates; created (\d+), linked (\d+) \(already in Clerk\), skipped 0, failed 0/.exec(rerun.stdout);
    expect(summary).not.toBeNull();
    const [candidates, created, linked] = summary!.slice(1).map(Number);
    expect(candidates).toBe(TOTAL - linkedAfterKill);
    // Users Clerk had created before the kill were found (by external_id) and linked, not created again.
    expect(linked).toBe(killedAt - linkedAfterKill);
    expect(created).toBe(TOTAL - killedAt);

    const clerkUsers = api.listUsers();
    expect(clerkUsers).toHaveLength(TOTAL);
    expect(new Set(clerkUsers.map((u) => u.external_id))).toEqual(new Set(rowIds.map((r) => r.id)));
    const interrupted = await endState(api);

    // The same rows, migrated without interruption into an empty Clerk.
    const other = await ClerkTestKit.create({ secretKey: kit.secretKey });
    let clean: Awaited<ReturnType<typeof endState>>;
    try {
      const otherApi = await other.startFakeApi();
      await harness.dataSource.query(`UPDATE clerk_users SET "clerkId" = NULL`);
      const run = await cli(['migrate-users-to-clerk'], { ...withHasher, CLERK_API_URL: otherApi.url });
      expect(run.stdout).toContain(`Migration complete: ${TOTAL} candidates; created ${TOTAL}, linked 0 (already in Clerk), skipped 0, failed 0`);
      clean = await endState(otherApi);
    } finally {
      await other.close();
    }
    expect(interrupted).toEqual(clean);
    expect(interrupted.every((row) => row.linked && row.externalIdIsRowId && row.password === 'digest')).toBe(true);
  }, 180_000);

  it('exits 1 when a row fails (its email belongs to another external_id in Clerk) and still migrates the others', async () => {
    await insertUsers(3, 'partial');
    const taken = api.addUser({ email: 'partial1@example.com' });
    api.updateUser(taken.id, { external_id: 'someone-else' });
    const result = await cli(['migrate-users-to-clerk'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed: \S+ partial1@example\.com: partial1@example\.com belongs in Clerk to user_\w+, whose external_id is someone-else/);
    expect(result.stdout).toContain('Migration complete: 3 candidates; created 2, linked 0 (already in Clerk), skipped 0, failed 1');
  }, 60_000);

  it.each([
    ['--batch-size 0', ['--batch-size', '0'], {}, /usage error: --batch-size must be a whole number from 1 to 100/],
    ['--limit abc', ['--limit', 'abc'], {}, /usage error: --limit must be a whole number of at least 1/],
    ['a relative --send-sign-in-links URL', ['--send-sign-in-links', '/welcome'], {}, /usage error: --send-sign-in-links needs the absolute http\(s\) URL/],
    ['no secret key', [], { CLERK_SECRET_KEY: undefined }, /usage error: CLERK_SECRET_KEY \(option "secretKey"\) is not set/],
    ['an unknown password hasher', [], { CLERK_MIGRATION_PASSWORD_HASHER: 'rot13' }, /configuration error: .*option "migration\.passwordHasher" must be one of Clerk's password hashers/],
  ])('exits 2 on a usage or configuration error: %s', async (_name, args, extraEnv, message) => {
    await insertUsers(1, 'usage');
    const result = await cli(['migrate-users-to-clerk', ...args], { ...env, ...extraEnv });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([]);
  }, 60_000);

  it('generate-usernames fills rows without a username (--dry-run first), with --prefix', async () => {
    const [withName] = await insertUsers(1, 'named', { username: 'kept_name' });
    await insertUsers(3, 'nameless');
    const dry = await cli(['generate-usernames', '--prefix', 'acme', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing written): 3 without a username; generated 3, pushed to Clerk 0, failed 0');
    expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE username IS NULL`)).toEqual([{ n: 3 }]);
    const result = await cli(['generate-usernames', '--prefix', 'acme'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usernames complete: 3 without a username; generated 3, pushed to Clerk 0, failed 0');
    const rows: Array<{ id: string; username: string }> = await harness.dataSource.query(`SELECT id, username FROM clerk_users ORDER BY email`);
    expect(rows.find((r) => r.id === withName)?.username).toBe('kept_name');
    const generated = rows.filter((r) => r.id !== withName).map((r) => r.username);
    expect(generated).toEqual([expect.stringMatching(/^acme_[0-9a-f]{16}$/), expect.stringMatching(/^acme_[0-9a-f]{16}$/), expect.stringMatching(/^acme_[0-9a-f]{16}$/)]);
    expect(new Set(generated).size).toBe(3);
    expect((await cli(['generate-usernames', '--prefix', 'bad prefix!'], env)).code).toBe(2);
  }, 60_000);
});
