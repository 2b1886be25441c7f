// npm run bench:sync — `sync-clerk-users --all` of 100,000 users from the fake Backend API into
// PostgreSQL, run as the consumer runs it (the built CLI in a child process: wall time from spawn to
// exit, peak RSS of the child), twice (the second run finds nothing to change), against the seed's
// way (django-clerk-users: list pages of 100, then one GET and one save per user) on 2,000 users.
// The fake API (and PGlite, when no DATABASE_URL is set) live in this process.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import { ClerkUsersModule, ClerkUsersService, clerkUsersMigrations } from '../dist/index.js';
import { CLERK_CLIENT } from '../dist/clerk-users.constants.js'; // internal token: the bench swaps in its own client
import { ClerkTestKit } from '../dist/testing/index.js';
import { startDatabase } from './support/database.mjs';

process.env.CLERK_TELEMETRY_DISABLED = '1';
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SEED_USERS = Number(process.env.BENCH_SEED_USERS ?? 2_000);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SEED_PAGE = 100;
const GOAL_SECONDS = 20;
const GOAL_RSS_MB = 300;
const GOAL_RATIO = 20;

const CLI = fileURLToPath(new URL('../test/commands/fixture/cli.mjs', import.meta.url));
const TIME = '/usr/bin/time';
const MB = 1024 * 1024;

const checks = [];
const check = (name, pass, detail) => checks.push({ name, pass: !!pass, detail });

function kbFromStatus(status) {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/** `count` users shaped by buildClerkUser: distinct emails, strictly increasing created_at. */
function addUsers(api, count, prefix) {
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    api.addUser({ email: `${prefix}-${i}@example.com`, firstName: `First${i}`, lastName: `Last${i}`, createdAt: base + i * 1000, lastSignInAt: base + i * 1000 + 500 });
  }
}

/** Median time of `times` GETs of `path` on the fake, in ms. */
async function probe(api, secretKey, path, times = 5) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${secretKey}` } });
    await response.text();
    if (response.status !== 200) throw new Error(`fake API ${path} answered ${response.status}`);
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(times / 2)];
}

async function resetSchema(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Runs the built CLI in a child process; wall time from spawn to exit. Peak RSS from GNU time when
 * present, else by polling the child's VmHWM every 50 ms.
 */
function runCli(env) {
  const args = [CLI, 'sync-clerk-users', '--all', '--limit', String(LIMIT), '--concurrency', String(CONCURRENCY)];
  const useTime = existsSync(TIME);
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const timeFile = join(dir, 'time');
  const [command, argv] = useTime ? [TIME, ['-o', timeFile, '-f', '%M %U %S', process.execPath, ...args]] : [process.execPath, args];
  const ownCpu = process.cpuUsage();
  const started = performance.now();
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  let polledKb = 0;
  const poll = useTime
    ? undefined
    : setInterval(() => {
        try {
          polledKb = Math.max(polledKb, kbFromStatus(readFileSync(`/proc/${child.pid}/status`, 'utf8')));
        } catch {
          // the child has just exited
        }
      }, 50);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const benchCpu = process.cpuUsage(ownCpu);
      if (poll) clearInterval(poll);
      let peakKb = polledKb;
      let cliCpu = null;
      if (useTime) {
        // GNU time prints "Command exited with non-zero status N" first when the child fails.
        const fields = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ');
        peakKb = Number(fields[0]);
        cliCpu = Number(fields[1]) + Number(fields[2]);
      }
      rmSync(dir, { recursive: true, force: true });
      const summary = /Sync complete: (\d+) in Clerk; created (\d+), updated (\d+), unchanged (\d+), deactivated (\d+), failed (\d+)/.exec(stdout);
      resolve({
        code,
        signal,
        seconds,
        peakRssMb: (peakKb * 1024) / MB,
        rssSource: useTime ? 'GNU time %M' : 'VmHWM polled every 50 ms',
        cliCpu,
        benchCpu: (benchCpu.user + benchCpu.system) / 1e6,
        summaryLine: summary?.[0] ?? null,
        summary: summary && { total: +summary[1], created: +summary[2], updated: +summary[3], unchanged: +summary[4], deactivated: +summary[5], failed: +summary[6] },
        // Everything but the progress lines (failures, errors), for the report.
        otherLines: stdout.split('\n').filter((line) => line && !/^users: \d+/.test(line) && !line.startsWith('Sync complete')),
        stderr: stderr.trim(),
      });
    });
  });
}

function checkRun(label, run, expected) {
  if (run.otherLines.length) console.log(`${label}: CLI printed\n  ${run.otherLines.slice(0, 20).join('\n  ')}`);
  if (run.stderr) console.log(`${label}: CLI stderr\n  ${run.stderr.split('\n').slice(0, 20).join('\n  ')}`);
  check(`${label}: CLI exit code 0`, run.code === 0, run.signal ?? run.code);
  check(`${label}: summary line printed`, run.summary, run.summaryLine ?? 'none');
  check(`${label}: summary ${USERS} in Clerk, created ${expected.created}, failed 0`, run.summary?.total === USERS && run.summary?.created === expected.created && run.summary?.failed === 0, run.summaryLine ?? 'none');
}

// ---- 1. the seed's way (django-clerk-users), 2,000 users, in this process ---------------------
const database = await startDatabase();
const poolSize = database.embedded ? 1 : 4;

const seedKit = await ClerkTestKit.create();
const seedApi = await seedKit.startFakeApi();
addUsers(seedApi, SEED_USERS, 'seed');

class SeedModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: database.url, uuidExtension: 'pgcrypto', dropSchema: true, migrationsRun: true, migrations: clerkUsersMigrations, autoLoadEntities: true, poolSize }),
    ClerkUsersModule.forRoot({ ...seedKit.moduleOptions(), webhookPath: false }),
  ],
})(SeedModule);
const seedApp = await NestFactory.createApplicationContext(SeedModule, { logger: ['error'] });
const clerk = seedApp.get(CLERK_CLIENT);
const users = seedApp.get(ClerkUsersService);

seedApi.clearRequests();
// Sampled during the loop only (this process's lifetime peak includes PGlite's start-up).
let seedRss = process.memoryUsage().rss;
const seedSampler = setInterval(() => (seedRss = Math.max(seedRss, process.memoryUsage().rss)), 50);
const seedStarted = performance.now();
let seedSaved = 0;
for (let offset = 0; ; offset += SEED_PAGE) {
  const page = await clerk.users.getUserList({ limit: SEED_PAGE, offset });
  for (const listed of page.data) {
    const user = await clerk.users.getUser(listed.id);
    await users.upsertFromClerkUser(user.raw);
    seedSaved++;
  }
  if (page.data.length < SEED_PAGE || offset + SEED_PAGE >= page.totalCount) break;
}
const seedSeconds = (performance.now() - seedStarted) / 1000;
clearInterval(seedSampler);
seedRss = Math.max(seedRss, process.memoryUsage().rss);
const seedApiCalls = seedApi.requests.length;
const seedRows = Number((await users.repository.query('SELECT count(*) FROM clerk_users'))[0].count);
check(`seed's way: ${SEED_USERS} users saved, SELECT count(*) FROM clerk_users = ${SEED_USERS}`, seedSaved === SEED_USERS && seedRows === SEED_USERS, `${seedSaved} saved, ${seedRows} rows`);
await seedApp.close();
await seedKit.close();
// This process also holds the fake API and, when embedded, PGlite: an upper bound for the seed's way.
const seed = { seconds: seedSeconds, rate: SEED_USERS / seedSeconds, peakRssMb: seedRss / MB };

// ---- 2. ours: the CLI in a child process, 100,000 users ----------------------------------------
const kit = await ClerkTestKit.create();
const api = await kit.startFakeApi();
const addStarted = performance.now();
addUsers(api, USERS, 'bench');
const addSeconds = (performance.now() - addStarted) / 1000;

// What the fake itself costs per request at this size (it shares this process's one thread with PGlite).
const middle = Math.floor(USERS / 2 / LIMIT) * LIMIT;
const listMs = await probe(api, kit.secretKey, `/v1/users?limit=${LIMIT}&offset=${middle}&order_by=%2Bcreated_at`);
const countMs = await probe(api, kit.secretKey, '/v1/users/count');
const pages = Math.ceil(USERS / LIMIT);

await resetSchema(database.url);
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  CLERK_SECRET_KEY: kit.secretKey,
  CLERK_JWT_KEY: kit.jwtKey,
  CLERK_API_URL: api.url,
  DB_POOL_SIZE: String(poolSize),
  CLERK_TELEMETRY_DISABLED: '1',
};

api.clearRequests();
const first = await runCli(env);
const firstApiCalls = api.requests.length;
checkRun('ours, run 1', first, { created: USERS });
const [afterFirst] = await sql(database.url, `SELECT count(*) AS n, count(DISTINCT "clerkId") AS ids, count(*) FILTER (WHERE email LIKE 'bench-%@example.com') AS emails FROM clerk_users`);
check(`ours, run 1: SELECT count(*) FROM clerk_users = ${USERS}`, Number(afterFirst.n) === USERS, afterFirst.n);
check(`ours, run 1: ${USERS} distinct clerkIds, ${USERS} bench emails`, Number(afterFirst.ids) === USERS && Number(afterFirst.emails) === USERS, `${afterFirst.ids} ids, ${afterFirst.emails} emails`);

api.clearRequests();
const second = await runCli(env);
const secondApiCalls = api.requests.length;
checkRun('ours, run 2 (nothing changed)', second, { created: 0 });
const [afterSecond] = await sql(database.url, 'SELECT count(*) AS n FROM clerk_users');
check(`ours, run 2: SELECT count(*) FROM clerk_users = ${USERS}`, Number(afterSecond.n) === USERS, afterSecond.n);

await kit.close();
await database.stop();

// ---- report -----------------------------------------------------------------------------------
const ours = { seconds: first.seconds, rate: USERS / first.seconds, peakRssMb: first.peakRssMb };
const ratio = ours.rate / seed.rate;
const dbLabel = database.embedded ? 'embedded PGlite over the wire protocol, in the bench process (pool 1)' : `PostgreSQL (pool ${poolSize})`;
const row = (name, r) => `${name.padEnd(46)} ${r.seconds.toFixed(2).padStart(8)} ${r.rate.toFixed(0).padStart(10)} ${r.peakRssMb.toFixed(0).padStart(13)}`;
const goal = (ok) => (ok ? 'MET' : 'MISSED');

console.log(
  `\nsync benchmark: sync-clerk-users --all --limit ${LIMIT} --concurrency ${CONCURRENCY} (built CLI, child process), ` +
    `database ${dbLabel}, fake Backend API in the bench process, node ${process.version}`,
);
console.log(`fake API: ${USERS} users added in ${addSeconds.toFixed(2)} s; GET /v1/users?limit=${LIMIT}&offset=${middle}&order_by=+created_at ${listMs.toFixed(1)} ms, GET /v1/users/count ${countMs.toFixed(1)} ms (median of 5, idle)`);
console.log(`          -> ${pages} pages x (list + count) ~ ${((pages * (listMs + countMs)) / 1000).toFixed(1)} s of the fake's single thread per run`);
console.log('');
console.log(`${''.padEnd(46)} ${'wall s'.padStart(8)} ${'users/s'.padStart(10)} ${'peak RSS MB'.padStart(13)}`);
console.log(row(`ours: CLI, ${USERS} users, run 1 (empty table)`, ours));
console.log(row(`ours: CLI, ${USERS} users, run 2 (unchanged)`, { seconds: second.seconds, rate: USERS / second.seconds, peakRssMb: second.peakRssMb }));
console.log(row(`seed's way: ${SEED_USERS} users (list+GET+save each)`, seed));
console.log(`  ours: peak RSS of the CLI process (${first.rssSource}); seed's way: RSS of the bench process sampled every 50 ms during its loop (holds the fake API${database.embedded ? ' and PGlite' : ''})`);
console.log(`  run 1: ${first.summaryLine ?? 'no summary line'}`);
console.log(`  run 2: ${second.summaryLine ?? 'no summary line'}`);
const cpu = (run) => `${run.cliCpu === null ? '' : `CLI ${run.cliCpu.toFixed(1)} s, `}bench process (fake API${database.embedded ? ' + PGlite' : ''}) ${run.benchCpu.toFixed(1)} s`;
console.log(`  CPU (user+sys): run 1 ${cpu(first)}; run 2 ${cpu(second)}`);
console.log(`  Backend API requests: ours run 1 ${firstApiCalls}, run 2 ${secondApiCalls} (list + count per page); seed's way ${seedApiCalls} for ${SEED_USERS} users`);
console.log(`ours / seed's way per user = ${ratio.toFixed(1)}x (${ours.rate.toFixed(0)} vs ${seed.rate.toFixed(0)} users/s)`);
console.log(`goal: ${USERS} users in <= ${GOAL_SECONDS} s      -> ${goal(ours.seconds <= GOAL_SECONDS)} (${ours.seconds.toFixed(2)} s)`);
console.log(`goal: peak RSS <= ${GOAL_RSS_MB} MB             -> ${goal(ours.peakRssMb <= GOAL_RSS_MB)} (${ours.peakRssMb.toFixed(0)} MB)`);
console.log(`goal: >= ${GOAL_RATIO}x the seed's way per user -> ${goal(ratio >= GOAL_RATIO)} (${ratio.toFixed(1)}x)`);
console.log('checks:');
for (const { name, pass, detail } of checks) console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${name}  [${detail}]`);
const failed = checks.filter((c) => !c.pass).length;
console.log(failed ? `${failed} check(s) FAILED` : 'all checks passed');
process.exitCode = failed ? 1 : 0;
