import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { ClerkOrganizationsSync, ClerkUsersSync, OrganizationsModule, SyncUsageError, type SyncReporter } from '../../lib/index.js';
import { ClerkApiAuthError, ClerkApiUnreachableError } from '../../lib/sync/clerk-api-failure.js';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, type TestApp } from '../support/create-app.js';

/** Back-off waits recorded instead of slept. */
const noWait = () => {
  const sleeps: number[] = [];
  return { sleeps, retry: { sleep: async (ms: number) => void sleeps.push(ms), baseDelayMs: 1 } };
};

const collect = () => {
  const lines: string[] = [];
  const reporter: SyncReporter = { progress: () => undefined, line: (text) => lines.push(text) };
  return { lines, reporter };
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('sync runs against a Backend API that refuses or cannot be reached', () => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  let harness: TestApp;

  beforeAll(async () => {
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
    harness = await createTestApp({ clerk: kit.moduleOptions(), imports: [OrganizationsModule.forRoot()], webhookPath: false });
  });
  afterAll(async () => {
    await harness?.close();
    await kit?.close();
  });
  beforeEach(() => api.clearRequests());

  it('a 401 on a later page stops the whole run with an authentication error (exit 2), deactivating nobody', async () => {
    for (let i = 0; i < 6; i++) api.addUser({ email: `refused${i}@example.com`, createdAt: 1_000 + i });
    await harness.dataSource.query(`INSERT INTO clerk_users ("clerkId") VALUES ('user_stays00000000000000000001')`);
    const { lines, reporter } = collect();
    const run = harness.app.get(ClerkUsersSync).run({
      all: true,
      limit: 2,
      concurrency: 1,
      deactivateMissing: true,
      retry: noWait().retry,
      reporter: {
        ...reporter,
        progress: (done) => {
          if (done === 2) api.failNext({ status: 401, times: 2, pathPrefix: '/v1/users' });
        },
      },
    });
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ClerkApiAuthError);
    expect(error).toBeInstanceOf(SyncUsageError);
    expect((error as Error).message).toMatch(/refused the secret key \(401 authentication_invalid\): check that CLERK_SECRET_KEY/);
    expect(lines.filter((line) => /page at offset/.test(line))).toEqual([]);
    expect(await harness.dataSource.query(`SELECT "isActive" FROM clerk_users WHERE "clerkId" = 'user_stays00000000000000000001'`)).toEqual([{ isActive: true }]);
    // Not retried: a refused key stays refused.
    expect(api.requests.filter((r) => r.path.startsWith('/v1/users')).length).toBeLessThanOrEqual(4);
  });

  it('a 403 on an organization\'s members stops the organization sync too', async () => {
    const org = api.addOrganization({ name: 'Forbidden Members' });
    api.addMembership({ organizationId: org.id, userId: api.addUser({ email: 'forbidden-member@example.com' }).id });
    api.failNext({ status: 403, pathPrefix: `/v1/organizations/${org.id}/memberships` });
    const error = await harness.app
      .get(ClerkOrganizationsSync)
      .run({ all: true, syncMembers: true, retry: noWait().retry })
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ClerkApiAuthError);
    expect((error as Error).message).toMatch(/refused access \(403 authorization_invalid\)/);
  });

  it('5xx stays a per-page failure, retried and reported, as before', async () => {
    const { lines, reporter } = collect();
    api.failNext({ status: 503, times: 4, pathPrefix: '/v1/users' });
    const summary = await harness.app.get(ClerkUsersSync).run({ retry: { ...noWait().retry, attempts: 2 }, reporter });
    expect(summary.failed).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^page at offset 0 failed/)]);
    api.clearRequests();
  });

  describe('unreachable', () => {
    let offline: TestApp;
    let port: number;

    beforeAll(async () => {
      port = await closedPort();
      offline = await createTestApp({ clerk: kit.moduleOptions({ apiUrl: `http://127.0.0.1:${port}` }), imports: [OrganizationsModule.forRoot()], webhookPath: false });
    });
    afterAll(async () => {
      await offline?.close();
    });

    it.each([
      ['users', () => offline.app.get(ClerkUsersSync).run({ all: true, retry: noWait().retry })],
      ['organizations', () => offline.app.get(ClerkOrganizationsSync).run({ all: true, retry: noWait().retry })],
    ])('%s: the reason comes from the network error (ECONNREFUSED), after the retries', async (_name, run) => {
      const error = await run().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ClerkApiUnreachableError);
      expect((error as Error).message).toBe(`cannot reach the Clerk Backend API at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
      expect((error as Error).message).not.toContain(kit.secretKey);
    });
  });
});
