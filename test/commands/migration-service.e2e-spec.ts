import { beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClerkClient } from '@clerk/backend';
import { ClerkUsersMigration, type ClerkMigrationRunOptions } from '../../lib/migration/clerk-users-migration.service.js';
import { resolveClerkUsersOptions } from '../../lib/options/resolve-options.js';
import { FakeApiTraffic } from '../../lib/testing/index.js';
import { migrationSummaryLine } from '../../lib/migration/migration-report.js';
import { ClerkUser, type SyncReporter } from '../../lib/index.js';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';

const BCRYPT = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
/** `hashPassword`'s format (the package's own staff logins): never sent to Clerk under another name. */
const OWN_FORMAT = 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';

/** Collects what a run reports; `sleeps` records the waits instead of sleeping. */
function recorder() {
  const lines: string[] = [];
  const sleeps: number[] = [];
  const reporter: SyncReporter = { progress: () => undefined, line: (text) => lines.push(text) };
  const retry = { sleep: async (ms: number) => void sleeps.push(ms), baseDelayMs: 1 };
  return { lines, sleeps, reporter, retry };
}

function helpers(harness: ClerkAppHarness) {
  const insert = async (values: Record<string, unknown>): Promise<string> => {
    const columns = Object.keys(values).map((c) => `"${c}"`).join(', ');
    const placeholders = Object.keys(values).map((_, i) => `$${i + 1}`).join(', ');
    const [row] = await harness.dataSource.query(`INSERT INTO clerk_users (${columns}) VALUES (${placeholders}) RETURNING id`, Object.values(values));
    return row.id as string;
  };
  const row = async (id: string) => (await harness.dataSource.query(`SELECT "clerkId", email, username FROM clerk_users WHERE id = $1`, [id]))[0];
  const clerkUserOf = (externalId: string) => harness.api.listUsers().filter((u) => u.external_id === externalId);
  const creates = () => harness.api.requests.filter((r) => r.method === 'POST' && r.path === '/v1/users').length;
  const run = (options: ClerkMigrationRunOptions = {}) => {
    const rec = recorder();
    return harness.app
      .get(ClerkUsersMigration)
      .run({ retry: rec.retry, reporter: rec.reporter, ...options })
      .then((summary) => ({ summary, ...rec }));
  };
  return { insert, row, clerkUserOf, creates, run };
}

describe('migrate-users-to-clerk (the migration service against the fake Backend API)', () => {
  const harness = useClerkTestApp({ providers: [ClerkUsersMigration] });
  const { insert, row, clerkUserOf, creates, run } = helpers(harness);

  beforeEach(async () => {
    for (const user of harness.api.listUsers()) harness.api.removeUser(user.id);
    await harness.dataSource.query('TRUNCATE clerk_users');
    harness.api.clearRequests();
  });

  it('creates a Clerk user per candidate with external_id = the local id, then links the row', async () => {
    const ada = await insert({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', username: 'ada_l' });
    const bob = await insert({ email: 'bob@example.com' });
    const { summary } = await run();
    expect(summary).toMatchObject({ candidates: 2, created: 2, linked: 0, skipped: 0, failed: 0 });
    const [clerkAda] = clerkUserOf(ada);
    expect(clerkAda).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', username: 'ada_l', email_addresses: [expect.objectContaining({ email_address: 'ada@example.com' })] });
    expect(await row(ada)).toMatchObject({ clerkId: clerkAda.id });
    expect(await row(bob)).toMatchObject({ clerkId: clerkUserOf(bob)[0].id });
    expect(harness.api.getUserCredentials(clerkAda.id)).toMatchObject({ kind: 'none' });
    expect(migrationSummaryLine(summary)).toBe('Migration complete: 2 candidates; created 2, linked 0 (already in Clerk), skipped 0, failed 0');
  });

  it('takes only active rows with an email and no Clerk identity, never staff password accounts unless includeStaff', async () => {
    const plain = await insert({ email: 'plain@example.com' });
    const inactive = await insert({ email: 'gone@example.com', isActive: false });
    const noEmail = await insert({ username: 'no-email' });
    const linked = await insert({ email: 'linked@example.com', clerkId: 'user_already' });
    const staff = await insert({ email: 'staff@example.com', isStaff: true, passwordHash: OWN_FORMAT });
    const root = await insert({ email: 'root@example.com', isSuperuser: true, passwordHash: OWN_FORMAT });
    const staffNoPassword = await insert({ email: 'staff-sso@example.com', isStaff: true });
    expect((await run()).summary).toMatchObject({ candidates: 2, created: 2, failed: 0 });
    expect((await row(plain)).clerkId).toMatch(/^user_/);
    expect((await row(staffNoPassword)).clerkId).toMatch(/^user_/);
    for (const id of [inactive, noEmail, staff, root]) expect((await row(id)).clerkId).toBeNull();
    expect((await row(linked)).clerkId).toBe('user_already');

    const { summary } = await run({ includeStaff: true });
    expect(summary).toMatchObject({ candidates: 2, created: 2, ownFormatHashes: 2 });
    expect((await row(staff)).clerkId).toMatch(/^user_/);
    // The staff-format hash went nowhere: the Clerk user has no password.
    expect(harness.api.getUserCredentials((await row(root)).clerkId)).toMatchObject({ kind: 'none' });
  });

  it('is idempotent: a Clerk user with the row id as external_id is linked, never created again', async () => {
    const id = await insert({ email: 'crashed@example.com' });
    // What a run killed after Clerk's answer but before the local write leaves behind.
    const earlier = harness.api.addUser({ email: 'crashed@example.com' });
    harness.api.updateUser(earlier.id, { external_id: id });
    const { summary } = await run();
    expect(summary).toMatchObject({ candidates: 1, created: 0, linked: 1, failed: 0 });
    expect(creates()).toBe(0);
    expect(await row(id)).toMatchObject({ clerkId: earlier.id });
    expect(harness.api.listUsers()).toHaveLength(1);
    // A second run has nothing left to do.
    expect((await run()).summary).toMatchObject({ candidates: 0, created: 0, linked: 0 });
  });

  it('links a Clerk user that already has the email (no external_id), and fails a row whose email belongs to another external_id', async () => {
    const mine = await insert({ email: 'signed-up@example.com' });
    const theirs = await insert({ email: 'elsewhere@example.com' });
    const signedUp = harness.api.addUser({ email: 'Signed-Up@example.com' });
    const other = harness.api.addUser({ email: 'elsewhere@example.com' });
    harness.api.updateUser(other.id, { external_id: 'legacy-42' });
    const { summary, lines } = await run();
    expect(summary).toMatchObject({ candidates: 2, created: 0, linked: 1, failed: 1 });
    expect(await row(mine)).toMatchObject({ clerkId: signedUp.id });
    expect(await row(theirs)).toMatchObject({ clerkId: null });
    expect(lines.join('\n')).toMatch(/elsewhere@example\.com belongs in Clerk to user_\w+, whose external_id is legacy-42/);
    expect(harness.api.listUsers()).toHaveLength(2);
  });

  it('a Clerk user another row already holds (a webhook stored it first) fails that row only; the others in its batch are linked', async () => {
    const stuck = await insert({ email: 'stuck@example.com', passwordHash: BCRYPT });
    const fine = await Promise.all([insert({ email: 'fine1@example.com' }), insert({ email: 'fine2@example.com' })]);
    const clerkUser = harness.api.addUser({ email: 'stuck@example.com' });
    harness.api.updateUser(clerkUser.id, { external_id: stuck });
    await harness.dataSource.query(`INSERT INTO clerk_users ("clerkId") VALUES ($1)`, [clerkUser.id]);
    const { summary, lines } = await run();
    expect(summary).toMatchObject({ candidates: 3, created: 2, linked: 0, failed: 1 });
    expect(lines).toContain(`failed: ${stuck} stuck@example.com: ${clerkUser.id} is already linked to another local row (a webhook or first request created it before the migration linked ${stuck})`);
    for (const id of fine) expect((await row(id)).clerkId).toMatch(/^user_/);
    expect((await row(stuck)).clerkId).toBeNull();
  });

  it('dry run: reports what would happen and writes nothing, in Clerk or locally', async () => {
    const fresh = await insert({ email: 'fresh@example.com' });
    await insert({ email: 'known@example.com' });
    const known = harness.api.addUser({ email: 'known@example.com' });
    const { summary, lines } = await run({ dryRun: true });
    expect(summary).toMatchObject({ candidates: 2, created: 1, linked: 1, failed: 0 });
    expect(lines).toEqual(expect.arrayContaining(['would create fresh@example.com', expect.stringMatching(new RegExp(`^would link \\S+ known@example\\.com to ${known.id}$`))]));
    expect(harness.api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await row(fresh)).toMatchObject({ clerkId: null });
    expect(migrationSummaryLine(summary, true)).toBe('Dry run (nothing written): 2 candidates; created 1, linked 1 (already in Clerk), skipped 0, failed 0');
  });

  it('limit takes that many rows; batchSize sets the rows looked up per external_id request', async () => {
    for (let i = 0; i < 5; i++) await insert({ email: `batch${i}@example.com` });
    expect((await run({ limit: 3, batchSize: 2 })).summary).toMatchObject({ candidates: 3, created: 3 });
    const lookups = harness.api.requests.filter((r) => r.path === '/v1/users' && r.method === 'GET' && r.query.getAll('external_id').length > 0);
    expect(lookups.map((r) => r.query.getAll('external_id').length)).toEqual([2, 1]);
    expect((await run()).summary).toMatchObject({ candidates: 2, created: 2 });
    expect(harness.api.listUsers()).toHaveLength(5);
  });

  it('honours 429 + Retry-After and still migrates every row once', async () => {
    for (let i = 0; i < 4; i++) await insert({ email: `limited${i}@example.com` });
    harness.api.failNext({ status: 429, retryAfterSeconds: 2, times: 3, pathPrefix: '/v1/users' });
    const { summary, sleeps } = await run({ concurrency: 2 });
    expect(summary).toMatchObject({ candidates: 4, created: 4, failed: 0 });
    // Three 429s (a lookup is two requests, list and count): each failed call waited Retry-After, then retried.
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(sleeps.every((ms) => ms === 2000)).toBe(true);
    expect(summary.rateLimited).toBe(sleeps.length);
    expect(harness.api.listUsers()).toHaveLength(4);
  });

  it('against a rate-limited Backend API (FakeApiTraffic): meets the limit, waits out each 429, creates every user once', async () => {
    for (let i = 0; i < 12; i++) await insert({ email: `paced${i}@example.com` });
    const front = await FakeApiTraffic.start(harness.api.url, { latencyMs: 5, rateLimitPerSecond: 5 });
    try {
      // What a client over the limit gets: Clerk's 429 body and a Retry-After in whole seconds.
      const answers = await Promise.all(
        Array.from({ length: 7 }, () => fetch(`${front.url}/v1/users/count`, { headers: { authorization: `Bearer ${harness.kit.secretKey}` } }).then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }))),
      );
      const refused = answers.filter((answer) => answer.status === 429);
      expect(refused).toHaveLength(2);
      expect(refused[0]).toMatchObject({ retryAfter: '1', body: { errors: [{ code: 'too_many_requests' }] } });

      // The same service, its client pointed at the front.
      const options = resolveClerkUsersOptions(harness.kit.moduleOptions({ apiUrl: front.url }));
      const client = createClerkClient({ secretKey: options.secretKey, apiUrl: front.url, telemetry: { disabled: true } });
      const before = { ...front.stats };
      const summary = await new ClerkUsersMigration(client, harness.dataSource.getRepository(ClerkUser), options).run({ concurrency: 4 });
      expect(summary).toMatchObject({ candidates: 12, created: 12, failed: 0 });
      expect(front.stats.rateLimited).toBeGreaterThan(before.rateLimited);
      expect(summary.rateLimited).toBeGreaterThan(0);
    } finally {
      await front.close();
    }
    expect(new Set(harness.api.listUsers().map((u) => u.external_id)).size).toBe(12);
    expect(harness.api.listUsers()).toHaveLength(12);
  });

  it('refuses bad settings with a usage error', async () => {
    await expect(run({ batchSize: 0 })).rejects.toThrow('--batch-size must be a whole number from 1 to 100');
    await expect(run({ limit: 0 })).rejects.toThrow('--limit must be a whole number of at least 1');
    await expect(run({ concurrency: 99 })).rejects.toThrow('--concurrency must be from 1 to 32');
    await expect(run({ signInLinks: { redirectUrl: 'not a url', file: '/dev/null' } })).rejects.toThrow(/--send-sign-in-links needs the absolute http\(s\) URL/);
  });

  it('--send-sign-in-links writes an email,link CSV for users without a password, and sends nothing', async () => {
    await insert({ email: 'link-me@example.com' });
    await insert({ email: 'quote"me,please@example.com' });
    const file = join(tmpdir(), `h5-links-${process.pid}-${Date.now()}.csv`);
    try {
      const { summary } = await run({ signInLinks: { redirectUrl: 'https://app.example.com/welcome?from=migration', file } });
      expect(summary).toMatchObject({ created: 2, signInLinks: 2 });
      const [header, ...rows] = (await readFile(file, 'utf8')).trim().split('\n');
      expect(header).toBe('email,link');
      expect(rows).toHaveLength(2);
      expect(rows).toEqual(expect.arrayContaining([
        expect.stringMatching(/^link-me@example\.com,https:\/\/app\.example\.com\/welcome\?from=migration&__clerk_ticket=\S+$/),
        expect.stringMatching(/^"quote""me,please@example\.com",https:\/\/app\.example\.com\/welcome\?from=migration&__clerk_ticket=\S+$/),
      ]));
    } finally {
      await rm(file, { force: true });
    }
  });
});

describe('migrate-users-to-clerk with forRoot({ migration: { passwordHasher } })', () => {
  const harness = useClerkTestApp({ providers: [ClerkUsersMigration], clerk: { migration: { passwordHasher: 'bcrypt' } } });
  const { insert, row, run } = helpers(harness);

  it('sends a bcrypt hash as password_digest + password_hasher; never a staff-format hash or a hash of another shape', async () => {
    const withBcrypt = await insert({ email: 'keeps-password@example.com', passwordHash: BCRYPT });
    const ownFormat = await insert({ email: 'own-format@example.com', passwordHash: OWN_FORMAT });
    const otherShape = await insert({ email: 'argon@example.com', passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA' });
    const none = await insert({ email: 'no-password@example.com' });
    const { summary, lines } = await run();
    expect(summary).toMatchObject({ candidates: 4, created: 4, failed: 0, passwordDigests: 1, ownFormatHashes: 1 });
    const credentials = async (id: string) => harness.api.getUserCredentials((await row(id)).clerkId);
    expect(await credentials(withBcrypt)).toEqual(expect.objectContaining({ kind: 'digest', passwordDigest: BCRYPT, passwordHasher: 'bcrypt' }));
    for (const id of [ownFormat, otherShape, none]) expect(await credentials(id)).toMatchObject({ kind: 'none' });
    expect(lines).toContain(`password of ${otherShape} argon@example.com is not a bcrypt digest: created without a password`);
    // What went over the wire: the digest of the bcrypt row only.
    const sent = JSON.stringify(harness.api.listUsers());
    expect(sent).not.toContain(OWN_FORMAT);
  });
});
