import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import request from 'supertest';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, type TestApp } from '../support/create-app.js';
import { libraryBuild } from '../support/library-build.js';
import { runCli } from './cli-child.js';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let build = '';

/** Runs the built CLI as a real child process. */
const cli = (args: string[], env: Record<string, string | undefined>, stdin?: string) => runCli(build, args, env, { stdin });

describe('the commands as a real child process of the built CLI', () => {
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
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });

  it('sync-clerk-users --all writes every user, prints a summary and exits 0 by itself', async () => {
    for (let i = 0; i < 12; i++) api.addUser({ email: `cli${i}@example.com`, createdAt: 1_000 + i });
    const result = await cli(['sync-clerk-users', '--all', '--limit', '5'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sync complete: 12 in Clerk; created 12, updated 0, unchanged 0, deactivated 0, failed 0/);
    expect(result.stdout).toMatch(/^users: 12 of 12$/m);
    expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE email LIKE 'cli%'`)).toEqual([{ n: 12 }]);
  }, 60_000);

  it('exits 1 when some items failed', async () => {
    api.addUser({ email: 'broken@example.com', extra: { id: 'not-a-user-id' } });
    const result = await cli(['sync-clerk-users', '--all', '--limit', '500'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/failed: not-a-user-id/);
    expect(result.stdout).toMatch(/failed 1/);
    api.removeUser('not-a-user-id');
  }, 60_000);

  it.each([
    ['a --limit above 500', ['sync-clerk-users', '--limit', '501'], /--limit must be a whole number from 1 to 500/],
    ['--deactivate-missing without --all', ['sync-clerk-users', '--deactivate-missing'], /--deactivate-missing needs --all/],
    ['create-superuser without --email', ['create-superuser'], /--email is required/],
  ])('exits 2 on a usage error: %s', async (_name, args, message) => {
    const result = await cli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  }, 60_000);

  it('exits 2 and names the missing setting when CLERK_SECRET_KEY is not set', async () => {
    const result = await cli(['sync-clerk-users', '--all'], { ...env, CLERK_SECRET_KEY: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CLERK_SECRET_KEY/);
  }, 60_000);

  it('exits 2 on a placeholder key, naming it', async () => {
    const result = await cli(['sync-clerk-users'], { ...env, CLERK_SECRET_KEY: 'sk_test_mock_secret_key' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CLERK_SECRET_KEY/);
  }, 60_000);

  it('an unreachable Backend API: prints the real reason (ECONNREFUSED from the cause), never the key, and exits 1', async () => {
    const port = await closedPort();
    const result = await cli(['sync-clerk-users', '--all'], { ...env, CLERK_API_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: cannot reach the Clerk Backend API at http://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`, 'm'));
    expect(result.stdout + result.stderr).not.toContain(kit.secretKey);
  }, 60_000);

  it.each([['sync-clerk-users'], ['sync-clerk-organizations']])('%s with a secret key the Backend API refuses (401): exits 2 naming the setting, never the key', async (command) => {
    const wrongKey = `sk_test_${randomBytes(24).toString('base64url')}`;
    api.clearRequests();
    const result = await cli([command, '--all'], { ...env, CLERK_SECRET_KEY: wrongKey });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^authentication error: the Clerk Backend API refused the secret key \(401 authentication_invalid\): check that CLERK_SECRET_KEY/m);
    expect(result.stdout + result.stderr).not.toContain(wrongKey);
    expect(result.stdout).not.toMatch(/Sync complete/);
    // A refused key is not retried: one list request (and its count) at most.
    expect(api.requests.filter((r) => r.authorization === `Bearer ${wrongKey}`).length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('a 403 from the Backend API also exits 2', async () => {
    api.failNext({ status: 403, times: 2, pathPrefix: '/v1/users' });
    const result = await cli(['sync-clerk-users'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^authentication error: the Clerk Backend API refused access \(403 authorization_invalid\)/m);
  }, 60_000);

  it('a database that refuses the connection at boot: exits 1 with the reason', async () => {
    const port = await closedPort();
    const result = await cli(['sync-clerk-users'], { ...env, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, DB_RETRY_ATTEMPTS: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`, 'm'));
  }, 60_000);

  it('create-superuser makes a staff account with no Clerk id that no Clerk token can reach', async () => {
    const result = await cli(['create-superuser', '--email', 'Root@Example.com', '--username', 'root', '--password-stdin'], env, 'correct horse battery staple\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [row] = await harness.dataSource.query(`SELECT "clerkId", email, "isStaff", "isSuperuser", "passwordHash" FROM clerk_users WHERE username = 'root'`);
    expect(row).toMatchObject({ clerkId: null, email: 'root@example.com', isStaff: true, isSuperuser: true, passwordHash: expect.stringMatching(/^scrypt\$/) });

    // A Clerk user with the same verified email gets a row of its own; the superuser stays unreachable.
    const impostor = api.addUser({ email: 'root@example.com', username: 'root' });
    const token = kit.mintSessionToken({ userId: impostor.id });
    const me = await request(harness.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.email).toBeNull();
    expect(await harness.dataSource.query(`SELECT "clerkId" FROM clerk_users WHERE username = 'root'`)).toEqual([{ clerkId: null }]);
    api.removeUser(impostor.id);

    const again = await cli(['create-superuser', '--email', 'root@example.com', '--password-stdin'], env, 'another password\n');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  }, 60_000);

  it('sync-clerk-organizations --all --sync-members exits 0 with both summaries', async () => {
    const org = api.addOrganization({ name: 'CLI Corp' });
    const member = api.addUser({ email: 'member-cli@example.com' });
    api.addMembership({ organizationId: org.id, userId: member.id, role: 'org:admin' });
    const result = await cli(['sync-clerk-organizations', '--all', '--sync-members'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sync complete, organizations: 1 in Clerk; created 1/);
    expect(result.stdout).toMatch(/Sync complete, members: 1 in Clerk; created 1/);
  }, 60_000);
});
