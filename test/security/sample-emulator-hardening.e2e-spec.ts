import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { SEED_USERS } from '../../sample-app/src/emulator/seed.js';
import { freePort, sampleAppBuild, startSample, type SampleRun } from '../support/sample-app-build.js';

// Security review #7, against the sample app as `npm run sample` runs it (a child process):
// - the emulator started beside real-format keys when one was blank, printing tokens and a staff password;
// - the staff account it seeded into a DATABASE_URL database kept signing in after a switch to real keys;
// - `Host` was not checked, so a DNS-rebound page could mint tokens through /emulator/session.

const databaseUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through `npm test`');
  return url;
};

/** A child process loads the whole sample (GraphQL, Swagger, socket.io) before it decides: seconds per start on a busy machine. */
const BOOTS = 180_000;
/** The emulator also syncs its seed into the embedded PostgreSQL (PGlite) at start. */
const EMULATOR_BOOTS = 2 * BOOTS;
const PRINTED_SECRETS = /^(TOKEN|STAFF_PASSWORD|M2M_TOKEN)=/m;
const LIVE_PUBLISHABLE_KEY = `pk_live_${Buffer.from('clerk.shop.example.com$').toString('base64')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
/** Real-mode keys that never reach the network: the Backend API is a closed port. */
const realKeys = () => ({ CLERK_SECRET_KEY: `sk_test_${randomBytes(18).toString('hex')}`, CLERK_API_URL: 'http://127.0.0.1:9', SESSION_SECRET: randomBytes(32).toString('base64url') });

describe('the sample app emulator (a child process)', () => {
  let main: string;
  let db: pg.Client;
  let dataDir: string;
  const runs: SampleRun[] = [];
  const start = async (env: Record<string, string>) => {
    const run = await startSample(main, { PORT: String(await freePort()), SAMPLE_DATA_DIR: dataDir, ...env });
    runs.push(run);
    return run;
  };
  const tablesInDatabase = async () => Number((await db.query(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n);

  beforeAll(async () => {
    main = await sampleAppBuild();
    db = new pg.Client({ connectionString: databaseUrl() });
    await db.connect();
  }, 180_000);
  afterAll(async () => {
    await db?.end();
  });
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sample-emulator-'));
    await db.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public');
  });
  afterEach(async () => {
    for (const run of runs.splice(0)) await run.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the attack: a blank CLERK_SECRET_KEY beside a pk_live_ key and a whsec_ secret does not start the emulator (no tokens, no staff password)', async () => {
    const run = await start({ CLERK_SECRET_KEY: '   ', CLERK_PUBLISHABLE_KEY: LIVE_PUBLISHABLE_KEY, CLERK_WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET, DATABASE_URL: databaseUrl() });
    expect(run.url).toBeNull();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toMatch(PRINTED_SECRETS);
    expect(run.stderr).toContain('CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, CLERK_WEBHOOK_SIGNING_SECRET are set, but neither CLERK_SECRET_KEY nor CLERK_JWT_KEY holds a key');
    expect(run.stdout + run.stderr).not.toContain(WEBHOOK_SECRET);
    expect(await tablesInDatabase()).toBe(0);
  }, BOOTS);

  it('any CLERK_* setting keeps the emulator off, even one that holds no key', async () => {
    const run = await start({ CLERK_AUTH_PARTIES: 'https://shop.example.com' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toMatch(PRINTED_SECRETS);
    expect(run.stderr).toContain('CLERK_AUTH_PARTIES is set');
  }, BOOTS);

  it('the emulator never seeds a configured database: with DATABASE_URL it refuses before writing anything', async () => {
    const run = await start({ DATABASE_URL: databaseUrl() });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toMatch(PRINTED_SECRETS);
    expect(run.stderr).toContain('DATABASE_URL is set: the Clerk emulator seeds its database');
    expect(await tablesInDatabase()).toBe(0);
  }, BOOTS);

  it('real keys refuse a database holding the emulator seed data (as an earlier version left it in DATABASE_URL); a clean one starts', async () => {
    const clean = await start({ ...realKeys(), DATABASE_URL: databaseUrl() });
    expect(clean.url).not.toBeNull();
    expect(clean.stdout).not.toMatch(PRINTED_SECRETS);
    await clean.stop();

    await db.query(`INSERT INTO app_users ("clerkId", email, "firstName") VALUES ($1, $2, 'Ada')`, [SEED_USERS[0].id, SEED_USERS[0].email]);
    const seeded = await start({ ...realKeys(), DATABASE_URL: databaseUrl() });
    expect(seeded.url).toBeNull();
    expect(seeded.exitCode).toBe(1);
    expect(seeded.stderr).toContain("this database holds the Clerk emulator's seed data");
  }, BOOTS);

  it('in emulator mode only the sample’s own Host is answered (DNS rebinding); after the emulator, real keys refuse its database and the staff account it printed', async () => {
    const emulator = await start({ CLERK_TELEMETRY_DISABLED: '1' }); // the SDK's telemetry switch is no Clerk setting
    expect(emulator.url).not.toBeNull();
    expect(emulator.stdout).toMatch(/^STAFF_PASSWORD=/m);
    const port = new URL(emulator.url!).port;
    const sample = () => request(emulator.url!);

    const rebound = await sample().get('/emulator/directory').set('Host', `rebind.evil.example:${port}`).expect(403);
    expect(rebound.text).toContain('Host not allowed');
    await sample().post('/emulator/session').set('Host', `rebind.evil.example:${port}`).send({ userId: SEED_USERS[0].id }).expect(403);
    await sample().get('/whoami').set('Host', '127.0.0.1').expect(403); // the port is part of the host
    await sample().get('/emulator/directory').set('Host', `127.0.0.1:${port}`).expect(200);
    await sample().get('/emulator/directory').set('Host', `localhost:${port}`).expect(200);
    await emulator.stop();

    // The same embedded database, now with real keys: the seeded staff account must not sign in again.
    const real = await start(realKeys());
    expect(real.url).toBeNull();
    expect(real.exitCode).toBe(1);
    expect(real.stderr).toContain('staff@example.com staff account whose password it printed');
    expect(real.stderr).toContain('Delete the embedded database');
  }, EMULATOR_BOOTS);
});
