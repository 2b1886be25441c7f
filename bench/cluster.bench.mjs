// npm run bench:cluster — two app instances (separate Node processes, one port each) on one
// PostgreSQL and one Redis, as behind a load balancer:
//   1. webhooks: user.created + user.updated for BENCH_USERS (10,000) users, shuffled, each delivery
//      sent to one instance and 20% of them to the other one at the same moment (same svix-id):
//      events/s across the pair; every event applied exactly once; every row at its newest version;
//   2. warm requests: the users' tokens spread over both instances (every user on both);
//   3. cold requests: every request a session token never seen by either instance;
//   4. a full user sync on one instance (CPU per synced user);
// each measured on one instance alone and on the pair at once: server CPU per request of each
// instance (its own process.cpuUsage, asked over IPC), so cross-instance contention shows as CPU.
// Load generators are child processes (bench/support/cold-load.mjs), webhook senders a worker thread.
// Env: DATABASE_URL or TEST_DATABASE_URL (PostgreSQL; required), BENCH_REDIS_URL or TEST_REDIS_URL
// (default redis://127.0.0.1:6379), BENCH_LIB (compiled library, default ../dist), BENCH_USERS,
// BENCH_CONNECTIONS, BENCH_WARM_REQUESTS, BENCH_COLD_REQUESTS, BENCH_SENDERS, BENCH_DUPLICATE_SHARE.
import 'reflect-metadata';
import { execFile, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from './support/seeded-random.mjs';

const LIB = process.env.BENCH_LIB ? pathToFileURL(`${resolve(process.env.BENCH_LIB)}/`) : new URL('../dist/', import.meta.url);
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const WARM_REQUESTS = Number(process.env.BENCH_WARM_REQUESTS ?? 20_000);
const COLD_REQUESTS = Number(process.env.BENCH_COLD_REQUESTS ?? 5000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 16);
const DUPLICATE_SHARE = Number(process.env.BENCH_DUPLICATE_SHARE ?? 0.2);
const SEED = Number(process.env.BENCH_SEED ?? 20261204);
const DATABASE_URL = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.CLERK_TELEMETRY_DISABLED = '1';

if (!isMainThread) await sendAll(workerData).then((result) => parentPort.postMessage(result));
else if (process.argv[2] === '--instance') await runInstance();
else await orchestrate();

// ---- webhook senders (worker thread) ---------------------------------------------------------

/** Posts every delivery once, `senders` at a time, each on a keep-alive connection per instance. */
async function sendAll({ deliveries, senders }) {
  const { encodePost, openConnection } = await import('./support/http-sender.mjs');
  const requests = deliveries.map(({ url, headers, body }) => ({ url, bytes: encodePost(url, headers, body) }));
  const failures = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      const connections = new Map();
      for (let i = next++; i < requests.length; i = next++) {
        const { url, bytes } = requests[i];
        let status = 0;
        let text = '';
        try {
          if (!connections.has(url)) connections.set(url, await openConnection(url));
          ({ status, text } = await connections.get(url).send(bytes));
        } catch (error) {
          text = String(error?.cause ?? error);
          connections.get(url)?.close();
          connections.delete(url);
        }
        if (status !== 200) failures.push({ index: i, status, body: text.slice(0, 200) });
      }
      for (const connection of connections.values()) connection.close();
    }),
  );
  return { elapsedMs: performance.now() - started, failures };
}

// ---- one app instance (child process) --------------------------------------------------------

async function runInstance() {
  const { Controller, Get, Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { TypeOrmModule } = await import('@nestjs/typeorm');
  const { createCache } = await import('cache-manager');
  const { Keyv } = await import('keyv');
  const { default: KeyvRedis } = await import('@keyv/redis');
  const { metrics } = await import('@opentelemetry/api');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  const { ClerkUsersModule, ClerkUsersSync, clerkUsersMigrations } = await import(new URL('index.js', LIB).href);
  const { ClerkTestKit } = await import(new URL('testing/index.js', LIB).href);
  const config = JSON.parse(process.env.BENCH_INSTANCE);

  // The library's own metrics, read in memory: how many deliveries each instance applied or found duplicate.
  class Reader extends MetricReader {
    async onShutdown() {}
    async onForceFlush() {}
  }
  const reader = new Reader();
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

  class PingController {
    ping() {
      return { pong: true };
    }
  }
  Reflect.decorate([Get('ping')], PingController.prototype, 'ping', Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'));
  Controller()(PingController);

  const kit = await ClerkTestKit.create(config.keys);
  const keyv = new Keyv({ store: new KeyvRedis(REDIS_URL), namespace: config.namespace });
  class InstanceModule {}
  Module({
    imports: [
      TypeOrmModule.forRoot({ type: 'postgres', url: DATABASE_URL, uuidExtension: 'pgcrypto', dropSchema: config.first, migrationsRun: config.first, migrations: clerkUsersMigrations, autoLoadEntities: true, poolSize: 10 }),
      ClerkUsersModule.forRoot(kit.moduleOptions({ apiUrl: config.apiUrl, cacheTtlSeconds: 3600, cache: createCache({ stores: [keyv] }) })),
    ],
    controllers: [PingController],
  })(InstanceModule);
  const app = await NestFactory.create(InstanceModule, { logger: ['error'], rawBody: true });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const webhookOutcomes = async () => {
    const { resourceMetrics } = await reader.collect();
    const outcomes = {};
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== 'clerk.webhooks.events') continue;
        for (const point of metric.dataPoints) outcomes[point.attributes['clerk.webhook.outcome']] = (outcomes[point.attributes['clerk.webhook.outcome']] ?? 0) + point.value;
      }
    }
    return outcomes;
  };
  process.on('message', async (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
    else if (message === 'webhooks') process.send({ webhooks: await webhookOutcomes() });
    else if (message === 'sync') {
      const summary = await app.get(ClerkUsersSync).run({ all: true, limit: 500 });
      process.send({ sync: { total: summary.total, created: summary.created, updated: summary.updated, unchanged: summary.unchanged } });
    }
    else if (message === 'close') {
      await app.close();
      await keyv.disconnect();
      process.exit(0);
    }
  });
  process.send({ url });
}

// ---- the orchestrator ------------------------------------------------------------------------

async function orchestrate() {
  if (!DATABASE_URL) throw new Error('bench:cluster needs PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL');
  const { ClerkTestKit } = await import(new URL('testing/index.js', LIB).href);
  const { default: pg } = await import('pg');
  const { createClient } = await import('@redis/client');
  const execFileAsync = promisify(execFile);
  const COLD_LOAD = fileURLToPath(new URL('./support/cold-load.mjs', import.meta.url));

  const kit = await ClerkTestKit.create();
  const api = await kit.startFakeApi();
  const namespace = `clerk-bench-cluster-${process.pid}`;

  /** Starts one instance process and waits for its URL; `ask` sends it a message and waits for the answer. */
  async function startInstance(first) {
    const child = fork(fileURLToPath(import.meta.url), ['--instance'], {
      env: { ...process.env, BENCH_INSTANCE: JSON.stringify({ keys: kit.exportKeys(), apiUrl: api.url, namespace, first }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const answer = (key) => new Promise((done, fail) => {
      const onExit = (code) => fail(new Error(`instance exited with ${code}`));
      const onMessage = (message) => {
        if (message?.[key] === undefined) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        done(message[key]);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
    const url = await answer('url');
    return {
      url,
      cpu: async () => {
        const ready = answer('cpu');
        child.send('cpu');
        const { user, system } = await ready;
        return user + system;
      },
      webhooks: async () => {
        const ready = answer('webhooks');
        child.send('webhooks');
        return ready;
      },
      sync: async () => {
        const ready = answer('sync');
        child.send('sync');
        return ready;
      },
      close: () => new Promise((done) => {
        child.once('exit', done);
        child.send('close');
      }),
    };
  }

  // Deterministic PRNG (mulberry32) for the delivery order and the duplicates.
  const { random, shuffle } = seededRandom(SEED);

  const a = await startInstance(true);
  const b = await startInstance(false);
  const instances = [a, b];

  // ---- 1. webhooks to both instances at once -------------------------------------------------
  const users = Array.from({ length: USERS }, (_, i) => api.addUser({ email: `cluster${i}@example.com`, firstName: 'v0' }));
  const events = shuffle(
    users.flatMap((user) => [
      { type: 'user.created', svixId: `msg_c_${user.id}`, data: { ...user, first_name: 'v1', updated_at: user.updated_at + 1 } },
      { type: 'user.updated', svixId: `msg_u_${user.id}`, data: { ...user, first_name: 'v2', updated_at: user.updated_at + 2 } },
    ]),
  );
  const deliveries = [];
  let duplicates = 0;
  for (const event of events) {
    const signed = kit.signWebhook(event.type, event.data, { svixId: event.svixId });
    const first = random() < 0.5 ? 0 : 1;
    deliveries.push({ url: `${instances[first].url}/webhooks/clerk`, headers: signed.headers, body: signed.body });
    // Adjacent in the queue, so two senders post them at the same moment: a cross-instance duplicate.
    if (random() < DUPLICATE_SHARE) {
      deliveries.push({ url: `${instances[1 - first].url}/webhooks/clerk`, headers: signed.headers, body: signed.body });
      duplicates++;
    }
  }
  const webhookCpuBefore = await Promise.all(instances.map((instance) => instance.cpu()));
  const sent = await new Promise((done, fail) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { deliveries, senders: SENDERS } });
    worker.once('message', done);
    worker.once('error', fail);
  });
  const webhookCpu = (await Promise.all(instances.map((instance) => instance.cpu()))).map((cpu, i) => cpu - webhookCpuBefore[i]);
  const outcomes = await Promise.all(instances.map((instance) => instance.webhooks()));
  const database = new pg.Client({ connectionString: DATABASE_URL });
  await database.connect();
  const count = async (sql) => Number((await database.query(sql)).rows[0].count);
  const checks = [];
  const check = (name, pass, detail) => checks.push({ name, pass: !!pass, detail });
  const processedTotal = outcomes.reduce((sum, o) => sum + (o.processed ?? 0), 0);
  const duplicateTotal = outcomes.reduce((sum, o) => sum + (o.duplicate ?? 0), 0);
  check(`all ${deliveries.length} deliveries answered 200`, sent.failures.length === 0, `${deliveries.length - sent.failures.length}/${deliveries.length}${sent.failures.length ? ` first: ${JSON.stringify(sent.failures.slice(0, 3))}` : ''}`);
  check(`every event applied exactly once across the pair (processed = ${events.length}, duplicate = ${duplicates})`, processedTotal === events.length && duplicateTotal === duplicates, `processed ${processedTotal}, duplicate ${duplicateTotal} (a: ${JSON.stringify(outcomes[0])}, b: ${JSON.stringify(outcomes[1])})`);
  const notOnce = await count('SELECT count(*) FROM clerk_webhook_events WHERE attempts <> 1 OR processed_at IS NULL');
  const eventRows = await count('SELECT count(*) FROM clerk_webhook_events');
  check(`clerk_webhook_events: ${events.length} rows, each processed with attempts = 1`, notOnce === 0 && eventRows === events.length, `${eventRows} rows, ${notOnce} not exactly once`);
  const rows = await count('SELECT count(*) FROM clerk_users');
  const notNewest = await count(`SELECT count(*) FROM clerk_users WHERE "firstName" <> 'v2'`);
  check(`clerk_users: ${USERS} rows, every one at its newest version (firstName v2)`, rows === USERS && notNewest === 0, `${rows} rows, ${notNewest} not newest`);
  await database.end();

  // ---- 2./3. warm and cold requests, one instance alone, then the pair --------------------------
  const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  const fileOf = (name, tokens) => {
    const file = join(dir, name);
    writeFileSync(file, tokens.join('\n'));
    return file;
  };
  const warmFile = fileOf('warm.txt', users.map((user, i) => kit.mintSessionToken({ userId: user.id, sessionId: `sess_warm_${i}`, expiresInSeconds: 3600 })));
  const coldTokens = Array.from({ length: 3 * COLD_REQUESTS }, (_, i) => kit.mintSessionToken({ userId: users[i % USERS].id, sessionId: `sess_cold_${i}`, expiresInSeconds: 3600 }));
  if (new Set(coldTokens).size !== coldTokens.length) throw new Error('a cold token repeats');
  const coldFile = fileOf('cold.txt', coldTokens);

  /** One load child on `instance`: `count` requests over lines first.. of `file` (`cycle`: tokens repeat, else each once). */
  const load = async (instance, file, first, count, amount, connections) => {
    const { stdout } = await execFileAsync(process.execPath, [COLD_LOAD, `${instance.url}/ping`, file, String(connections), String(first), String(count), String(amount)], { maxBuffer: 16 * 1024 * 1024 });
    const result = JSON.parse(stdout);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${instance.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result;
  };
  /** Runs the loads at once; CPU per request of each loaded instance. */
  const measure = async (runs) => {
    const before = await Promise.all(runs.map(({ instance }) => instance.cpu()));
    const started = performance.now();
    const results = await Promise.all(runs.map(({ instance, file, first, count, amount, connections }) => load(instance, file, first, count, amount, connections)));
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all(runs.map(({ instance }) => instance.cpu()));
    const total = results.reduce((sum, r) => sum + r.requests.total, 0);
    return { rps: total / seconds, cpuPerRequest: results.map((r, i) => (after[i] - before[i]) / r.requests.total) };
  };

  // Every user's token once on each instance: rows into Redis, tokens into each instance's memo; JIT warm.
  await measure(instances.map((instance) => ({ instance, file: warmFile, first: 0, count: USERS, amount: USERS, connections: CONNECTIONS / 2 })));
  const warmSingle = await measure([{ instance: a, file: warmFile, first: 0, count: USERS, amount: WARM_REQUESTS, connections: CONNECTIONS }]);
  const warmPair = await measure(instances.map((instance) => ({ instance, file: warmFile, first: 0, count: USERS, amount: WARM_REQUESTS, connections: CONNECTIONS / 2 })));
  const coldSingle = await measure([{ instance: a, file: coldFile, first: 0, count: COLD_REQUESTS, amount: COLD_REQUESTS, connections: CONNECTIONS }]);
  const coldPair = await measure(instances.map((instance, i) => ({ instance, file: coldFile, first: (i + 1) * COLD_REQUESTS, count: COLD_REQUESTS, amount: COLD_REQUESTS, connections: CONNECTIONS / 2 })));
  rmSync(dir, { recursive: true, force: true });

  // ---- 4. a full sync on one instance: the Backend API holds a newer version (v3) of every user
  for (const user of users) api.updateUser(user.id, { first_name: 'v3', updated_at: user.updated_at + 3 });
  const syncCpuBefore = await a.cpu();
  const syncStarted = performance.now();
  const synced = await a.sync();
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  const syncCpu = (await a.cpu()) - syncCpuBefore;
  check(`sync: ${USERS} users read, every row updated`, synced.total === USERS && synced.updated === USERS, JSON.stringify(synced));
  const afterSync = new pg.Client({ connectionString: DATABASE_URL });
  await afterSync.connect();
  const notSynced = Number((await afterSync.query(`SELECT count(*) FROM clerk_users WHERE "firstName" <> 'v3'`)).rows[0].count);
  await afterSync.end();
  check('sync: every row at the Backend API\'s version (firstName v3)', notSynced === 0, `${notSynced} rows differ`);

  await Promise.all(instances.map((instance) => instance.close()));
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const keys = await redis.keys(`${namespace}*`);
  if (keys.length) await redis.del(keys);
  await redis.close();
  await kit.close();

  const us = (value) => `${value.toFixed(0).padStart(5)} µs`;
  const within = (pair, single) => `${pair.map((value) => `${(((value - single) / single) * 100).toFixed(0)}%`).join(' / ')}`;
  const goal = (pair, single) => (pair.every((value) => value <= single * 1.1) ? 'within 10%: MET' : 'within 10%: MISSED');
  console.log(`\ncluster benchmark: 2 instances (Node processes) on one PostgreSQL and one Redis (${REDIS_URL}), ${USERS} users, ${CONNECTIONS} connections in all, node ${process.version}`);
  console.log(`webhooks: ${events.length} events (user.created + user.updated per user, shuffled) + ${duplicates} cross-instance duplicates (${(DUPLICATE_SHARE * 100).toFixed(0)}%) = ${deliveries.length} deliveries by ${SENDERS} senders`);
  const handled = outcomes.map((o) => (o.processed ?? 0) + (o.duplicate ?? 0));
  console.log(`  across the pair: ${(deliveries.length / (sent.elapsedMs / 1000)).toFixed(0)} deliveries/s, ${(events.length / (sent.elapsedMs / 1000)).toFixed(0)} events/s in ${(sent.elapsedMs / 1000).toFixed(1)} s; server CPU per delivery: a ${us(webhookCpu[0] / handled[0])} (${handled[0]}), b ${us(webhookCpu[1] / handled[1])} (${handled[1]})`);
  console.log(`warm requests (${WARM_REQUESTS} per instance, ${USERS} users' tokens cycled, each user on both instances):`);
  console.log(`  one instance alone: ${warmSingle.rps.toFixed(0)} req/s, server CPU ${us(warmSingle.cpuPerRequest[0])}/request`);
  console.log(`  the pair at once:   ${warmPair.rps.toFixed(0)} req/s in all, server CPU a ${us(warmPair.cpuPerRequest[0])}, b ${us(warmPair.cpuPerRequest[1])}/request (${within(warmPair.cpuPerRequest, warmSingle.cpuPerRequest[0])} vs alone; ${goal(warmPair.cpuPerRequest, warmSingle.cpuPerRequest[0])})`);
  console.log(`cold requests (${COLD_REQUESTS} per instance, every token new to both; ${coldTokens.length} minted, none repeats):`);
  console.log(`  one instance alone: ${coldSingle.rps.toFixed(0)} req/s, server CPU ${us(coldSingle.cpuPerRequest[0])}/request`);
  console.log(`  the pair at once:   ${coldPair.rps.toFixed(0)} req/s in all, server CPU a ${us(coldPair.cpuPerRequest[0])}, b ${us(coldPair.cpuPerRequest[1])}/request (${within(coldPair.cpuPerRequest, coldSingle.cpuPerRequest[0])} vs alone; ${goal(coldPair.cpuPerRequest, coldSingle.cpuPerRequest[0])})`);
  console.log(`sync (sync-clerk-users --all, one instance, ${synced.total} users, every row changed): ${(synced.total / syncSeconds).toFixed(0)} users/s, server CPU ${us(syncCpu / synced.total)}/user (the fake Backend API runs in the orchestrator)`);
  console.log('checks:');
  for (const { name, pass, detail } of checks) console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${name}  [${detail}]`);
  const failed = checks.filter((c) => !c.pass).length;
  console.log(failed ? `${failed} check(s) FAILED` : 'all checks passed');
  process.exitCode = failed ? 1 : 0;
}
