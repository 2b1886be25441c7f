// npm run bench:migrate — `migrate-users-to-clerk` of 10,000 local users into the fake Backend API
// configured like a real Clerk instance: 50 ms per call and a limit of 100 requests/s (429 +
// Retry-After beyond it). Run as the consumer runs it (the built CLI in a child process), against the
// seed's way (django-clerk-users: one create, then one save, per user, sequentially) in the same run.
// The fake API, its latency/limit front (and PGlite, when no DATABASE_URL is set) live in this process.
// CLERK_USERS_DIST: a build of lib/ other than dist/ (e.g. `npx tsc -p tsconfig.build.json --outDir .tmp/x`).
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { startDatabase } from './support/database.mjs';

process.env.CLERK_TELEMETRY_DISABLED = '1';
const dist = process.env.CLERK_USERS_DIST ? pathToFileURL(`${process.env.CLERK_USERS_DIST}/`) : new URL('../dist/', import.meta.url);
const { ClerkUsersModule, clerkUsersMigrations } = await import(new URL('index.js', dist).href);
const { CLERK_CLIENT } = await import(new URL('clerk-users.constants.js', dist).href); // internal token: the seed's way uses the raw client
const { ClerkTestKit, FakeApiTraffic } = await import(new URL('testing/index.js', dist).href);

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SEED_USERS = Number(process.env.BENCH_SEED_USERS ?? 300);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const LIMIT_PER_SECOND = Number(process.env.BENCH_RATE_LIMIT ?? 100);
const CONCURRENCY = process.env.BENCH_CONCURRENCY;
const GOAL_SHARE = 0.9;
const CLI = fileURLToPath(new URL('../test/commands/fixture/cli.mjs', import.meta.url));

const checks = [];
const check = (name, pass, detail) => checks.push({ name, pass: !!pass, detail });

async function sql(url, text, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh schema with the package's migrations, and `count` local users without a Clerk identity. */
async function freshTable(url, count, prefix) {
  await sql(url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  class SchemaModule {}
  Module({ imports: [TypeOrmModule.forRoot({ type: 'postgres', url, uuidExtension: 'pgcrypto', migrationsRun: true, migrations: clerkUsersMigrations, poolSize: 1 })] })(SchemaModule);
  await (await NestFactory.createApplicationContext(SchemaModule, { logger: ['error'] })).close();
  await sql(url, `INSERT INTO clerk_users (email, "firstName", "lastName") SELECT '${prefix}-' || i || '@example.com', 'First' || i, 'Last' || i FROM generate_series(1, $1) AS i`, [count]);
}

/** The fake Backend API behind a 50 ms, 100 requests/s front. */
async function limitedApi() {
  const kit = await ClerkTestKit.create();
  const api = await kit.startFakeApi();
  const front = await FakeApiTraffic.start(api.url, { latencyMs: LATENCY_MS, rateLimitPerSecond: LIMIT_PER_SECOND });
  return { kit, api, front, close: async () => (await front.close(), await kit.close()) };
}

function runCli(env) {
  const args = [CLI, 'migrate-users-to-clerk', ...(CONCURRENCY ? ['--concurrency', CONCURRENCY] : [])];
  const started = performance.now();
  // BENCH_CLI_NODE_ARGS: e.g. `--cpu-prof --cpu-prof-dir=bench/.prof` to profile the CLI.
  const nodeArgs = (process.env.BENCH_CLI_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const summary = /Migration complete: (\d+) candidates; created (\d+), linked (\d+) \(already in Clerk\), skipped (\d+), failed (\d+)/.exec(stdout);
      const waited = /(\d+) rate-limit answers \(429\) waited out/.exec(stdout);
      resolve({
        code,
        signal,
        seconds: (performance.now() - started) / 1000,
        summaryLine: summary?.[0] ?? null,
        summary: summary && { candidates: +summary[1], created: +summary[2], linked: +summary[3], skipped: +summary[4], failed: +summary[5] },
        waited: waited ? Number(waited[1]) : 0,
        otherLines: stdout.split('\n').filter((line) => line && !/^migrate: \d+/.test(line) && !line.startsWith('Migration complete') && !/waited out$/.test(line)),
        stderr: stderr.trim(),
      });
    });
  });
}

const database = await startDatabase();
const poolSize = database.embedded ? 1 : 4;

// ---- 1. ours: the CLI in a child process, 10,000 users -----------------------------------------
await freshTable(database.url, USERS, 'bench');
const ours = await limitedApi();
const env = {
  ...process.env,
  NODE_OPTIONS: '',
  CLERK_USERS_DIST: process.env.CLERK_USERS_DIST ?? fileURLToPath(dist),
  DATABASE_URL: database.url,
  CLERK_SECRET_KEY: ours.kit.secretKey,
  CLERK_JWT_KEY: ours.kit.jwtKey,
  CLERK_API_URL: ours.front.url,
  DB_POOL_SIZE: String(poolSize),
  CLERK_TELEMETRY_DISABLED: '1',
};
const loadBefore = loadavg()[0];
const run = await runCli(env);
const stats = { ...ours.front.stats };
const loadAfter = loadavg()[0];
// The sustained rate: first to last Backend API request (the CLI's own start-up and shutdown excluded).
const windowSeconds = stats.firstAt !== null && stats.lastAt !== null ? (stats.lastAt - stats.firstAt) / 1000 : run.seconds;
if (run.otherLines.length) console.log(`CLI printed\n  ${run.otherLines.slice(0, 20).join('\n  ')}`);
if (run.stderr) console.log(`CLI stderr\n  ${run.stderr.split('\n').slice(0, 20).join('\n  ')}`);
const clerkUsers = ours.api.listUsers();
const perExternalId = new Map();
for (const user of clerkUsers) perExternalId.set(user.external_id, (perExternalId.get(user.external_id) ?? 0) + 1);
const duplicates = [...perExternalId.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
const [local] = await sql(database.url, `SELECT count(*) FILTER (WHERE "clerkId" IS NOT NULL)::int AS linked, count(DISTINCT "clerkId")::int AS ids FROM clerk_users`);
const [matching] = await sql(database.url, `SELECT count(*)::int AS n FROM clerk_users u WHERE u."clerkId" = ANY($1) AND u.id::text = ($2::jsonb ->> u."clerkId")`, [
  clerkUsers.map((u) => u.id),
  JSON.stringify(Object.fromEntries(clerkUsers.map((u) => [u.id, u.external_id]))),
]);
await ours.close();

check('CLI exit code 0', run.code === 0, run.signal ?? run.code);
check(`summary: ${USERS} candidates, created ${USERS}, failed 0`, run.summary?.candidates === USERS && run.summary?.created === USERS && run.summary?.failed === 0, run.summaryLine ?? 'none');
check(`${USERS} Clerk users, no duplicate external_id`, clerkUsers.length === USERS && duplicates === 0, `${clerkUsers.length} users, ${duplicates} duplicates`);
check(`${USERS} rows linked, each to the Clerk user whose external_id is its id`, local.linked === USERS && local.ids === USERS && matching.n === USERS, `${local.linked} linked, ${local.ids} distinct, ${matching.n} matching`);
check('every 429 waited out (no call failed on one)', run.summary?.failed === 0 && (stats.rateLimited === 0 || run.waited > 0), `${stats.rateLimited} received, ${run.waited} waits`);

// ---- 2. the seed's way: create, then save, one user after the other ---------------------------
await freshTable(database.url, SEED_USERS, 'seed');
const seedApi = await limitedApi();
class SeedModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: database.url, uuidExtension: 'pgcrypto', autoLoadEntities: true, poolSize }),
    ClerkUsersModule.forRoot({ ...seedApi.kit.moduleOptions(), apiUrl: seedApi.front.url, webhookPath: false }),
  ],
})(SeedModule);
const seedApp = await NestFactory.createApplicationContext(SeedModule, { logger: ['error'] });
const clerk = seedApp.get(CLERK_CLIENT);
const seedDataSource = seedApp.get(DataSource);
const rows = await sql(database.url, `SELECT id, email, "firstName", "lastName" FROM clerk_users WHERE "clerkId" IS NULL ORDER BY id`);
const seedStarted = performance.now();
for (const row of rows) {
  const user = await clerk.users.createUser({ emailAddress: [row.email], firstName: row.firstName, lastName: row.lastName, skipPasswordRequirement: true, skipPasswordChecks: true });
  await seedDataSource.query(`UPDATE clerk_users SET "clerkId" = $1 WHERE id = $2`, [user.id, row.id]);
}
const seedSeconds = (performance.now() - seedStarted) / 1000;
await seedApp.close();
await seedApi.close();
await database.stop();

// ---- report -----------------------------------------------------------------------------------
const rate = USERS / windowSeconds;
const seedRate = SEED_USERS / seedSeconds;
const share = rate / LIMIT_PER_SECOND;
const requestShare = stats.accepted / windowSeconds / LIMIT_PER_SECOND;
const dbLabel = database.embedded ? 'embedded PGlite over the wire protocol, in the bench process (pool 1)' : `PostgreSQL (pool ${poolSize})`;
console.log(
  `\nmigrate benchmark: migrate-users-to-clerk${CONCURRENCY ? ` --concurrency ${CONCURRENCY}` : ''} (built CLI, child process), ` +
    `fake Backend API at ${LATENCY_MS} ms per call and ${LIMIT_PER_SECOND} requests/s (429 + Retry-After beyond), database ${dbLabel}, node ${process.version}`,
);
console.log('');
console.log(`${''.padEnd(52)} ${'users'.padStart(7)} ${'wall s'.padStart(8)} ${'users/s'.padStart(9)} ${'% of limit'.padStart(11)}`);
const line = (name, users, seconds) => console.log(`${name.padEnd(52)} ${String(users).padStart(7)} ${seconds.toFixed(1).padStart(8)} ${(users / seconds).toFixed(1).padStart(9)} ${((users / seconds / LIMIT_PER_SECOND) * 100).toFixed(1).padStart(10)}%`);
line('ours: migrate-users-to-clerk, first to last request', USERS, windowSeconds);
line('ours: the same, CLI spawn to exit (start-up included)', USERS, run.seconds);
line("seed's way: create then save, sequentially", SEED_USERS, seedSeconds);
console.log(`  ${run.summaryLine ?? 'no summary line'}`);
console.log(`  Backend API requests accepted: ${stats.accepted} (${(stats.accepted / windowSeconds).toFixed(1)}/s, ${(requestShare * 100).toFixed(1)}% of the limit; creates plus one external_id lookup per 100 rows)`);
console.log(`  429s received: ${stats.rateLimited}; calls that waited out Retry-After and retried: ${run.waited}; calls failed: ${run.summary?.failed ?? '?'}`);
console.log(`  duplicates in Clerk (same external_id): ${duplicates}`);
console.log(`  ours / seed's way = ${(rate / seedRate).toFixed(1)}x (${rate.toFixed(1)} vs ${seedRate.toFixed(1)} users/s); the seed's way is bound by latency (1000 / ${LATENCY_MS} ms = ${(1000 / LATENCY_MS).toFixed(0)}/s at best)`);
console.log(`  machine: ${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the CLI run (all of it shares those CPUs with the fake API and the database)`);
console.log(`goal: >= ${GOAL_SHARE * 100}% of the limit in users/s -> ${share >= GOAL_SHARE ? 'MET' : 'MISSED'} (${(share * 100).toFixed(1)}%)`);
console.log('checks:');
for (const { name, pass, detail } of checks) console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${name}  [${detail}]`);
const failed = checks.filter((c) => !c.pass).length;
console.log(failed ? `${failed} check(s) FAILED` : 'all checks passed');
process.exitCode = failed ? 1 : 0;
