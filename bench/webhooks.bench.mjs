// npm run bench:webhooks — 5,000 Svix-signed `user.updated` events for 1,000 users (5 versions each,
// shuffled so one user's events arrive out of order), POSTed over loopback by 16 concurrent senders
// into PostgreSQL: the module's endpoint (payload only, idempotency table, exactly once) against the
// seed's approach (django-clerk-users: one Backend API fetch per event, no idempotency), same events.
// The senders run in a worker thread, so they do not share the server's event loop, each on one
// keep-alive connection through a lean client (bench/support/http-sender.mjs). Database: DATABASE_URL
// or TEST_DATABASE_URL, else an embedded PGlite (bench/support/database.mjs).
import 'reflect-metadata';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from './support/seeded-random.mjs';

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 5);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 16);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 200);
const WARMUP_USERS = Number(process.env.BENCH_WARMUP_USERS ?? 50);
const SEED = Number(process.env.BENCH_SEED ?? 12345);
const GOAL = 1000;

// ---- sender side (worker thread) ------------------------------------------------------------

/**
 * Posts every delivery once, `senders` at a time, each sender on its own keep-alive connection
 * (bench/support/http-sender.mjs: a lean client, so the load generator takes little CPU from the
 * server on the same two cores); returns the wall time and per-request latencies.
 */
async function sendAll({ url, deliveries, senders }) {
  const { encodePost, openConnection } = await import('./support/http-sender.mjs');
  const requests = deliveries.map(({ headers, body }) => encodePost(url, headers, body));
  const latencies = new Float64Array(deliveries.length);
  const failures = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      let connection = null;
      for (let i = next++; i < deliveries.length; i = next++) {
        const t0 = performance.now();
        let status = 0;
        let text = '';
        try {
          connection ??= await openConnection(url);
          ({ status, text } = await connection.send(requests[i]));
        } catch (error) {
          text = String(error?.cause ?? error);
          connection?.close();
          connection = null;
        }
        latencies[i] = performance.now() - t0;
        if (status !== 200) failures.push({ index: i, svixId: deliveries[i].headers['svix-id'], status, body: text.slice(0, 300) });
      }
      connection?.close();
    }),
  );
  return { elapsedMs: performance.now() - started, latencies, failures };
}

if (!isMainThread) {
  const result = await sendAll(workerData);
  parentPort.postMessage(result, [result.latencies.buffer]);
} else {
  await main();
}

/** Runs `sendAll` in a fresh worker thread. */
function sendFromWorker(url, deliveries) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { url, deliveries, senders: SENDERS } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`sender worker exited with ${code}`)));
  });
}

// ---- server side (main thread) --------------------------------------------------------------

async function main() {
  const { Controller, HttpCode, Inject, Module, Post } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { TypeOrmModule } = await import('@nestjs/typeorm');
  const { DataSource } = await import('typeorm');
  const { ClerkUsersModule, ClerkUsersService, ClerkWebhookEndpoint, VerifiedClerkWebhookEvent, clerkUsersMigrations } = await import('../dist/index.js');
  const { CLERK_CLIENT } = await import('../dist/clerk-users.constants.js'); // internal token: the bench swaps in its own client
  const { ClerkTestKit } = await import('../dist/testing/index.js');
  const { startDatabase } = await import('./support/database.mjs');

  process.env.CLERK_TELEMETRY_DISABLED = '1';
  const database = await startDatabase();
  const kit = await ClerkTestKit.create();
  const api = await kit.startFakeApi();

  // Deterministic PRNG (mulberry32) for the delivery order.
  const { shuffle } = seededRandom(SEED);

  /** `count` users in the fake API, each with VERSIONS payloads v1..vN (strictly increasing updated_at), shuffled. */
  function buildEvents(count, prefix) {
    const events = [];
    for (let u = 0; u < count; u++) {
      const base = api.addUser({ firstName: 'v0', lastName: `${prefix}${u}` });
      for (let k = 1; k <= VERSIONS; k++) {
        events.push({ svixId: `msg_${prefix}_${u}_${k}`, data: { ...base, first_name: `v${k}`, updated_at: base.updated_at + k } });
      }
      // The API holds the newest version, so a fetch returns what the last event says.
      api.updateUser(base.id, { first_name: `v${VERSIONS}`, updated_at: base.updated_at + VERSIONS });
    }
    return shuffle(events);
  }
  // Signed right before each phase (Svix's 5-minute tolerance); same svix ids, same order each time.
  const sign = (events) => events.map(({ svixId, data }) => kit.signWebhook('user.updated', data, { svixId }));

  const warmupEvents = buildEvents(WARMUP_USERS, 'warmup');
  const events = buildEvents(USERS, 'bench');
  const outOfOrderUsers = (() => {
    const last = new Map();
    const disordered = new Set();
    for (const { data } of events) {
      if ((last.get(data.id) ?? -Infinity) > data.updated_at) disordered.add(data.id);
      last.set(data.id, Math.max(last.get(data.id) ?? -Infinity, data.updated_at));
    }
    return disordered.size;
  })();

  // Counts every statement TypeORM sends (BEGIN/COMMIT included): round trips per event.
  const queryCounter = { count: 0, logQuery() { this.count++; }, logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };
  const typeorm = () =>
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: database.url,
      uuidExtension: 'pgcrypto',
      dropSchema: true, // each app starts from an empty schema
      migrationsRun: true,
      migrations: clerkUsersMigrations,
      autoLoadEntities: true,
      poolSize: database.embedded ? 1 : 10,
      logging: ['query'],
      logger: queryCounter,
    });

  async function startApp(module) {
    const app = await NestFactory.create(module, { logger: ['error'], rawBody: true });
    await app.listen(0, '127.0.0.1');
    return { app, base: (await app.getUrl()).replace('[::1]', '127.0.0.1'), db: app.get(DataSource) };
  }

  const count = async (db, sql) => Number((await db.query(sql))[0].count);
  const usersDigest = async (db) =>
    (await db.query(`SELECT count(*) AS n, md5(coalesce(string_agg(u::text, ',' ORDER BY u."clerkId"), '')) AS digest FROM clerk_users u`))[0];
  const eventsDigest = async (db) =>
    (await db.query(`SELECT count(*) AS n, coalesce(sum(attempts), 0) AS attempts, md5(coalesce(string_agg(e::text, ',' ORDER BY e.svix_id), '')) AS digest FROM clerk_webhook_events e`))[0];

  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  function summarize(result, total) {
    const sorted = Float64Array.from(result.latencies).sort();
    return {
      rate: total / (result.elapsedMs / 1000),
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      seconds: result.elapsedMs / 1000,
      ok: total - result.failures.length,
      failures: result.failures,
    };
  }

  const checks = [];
  const check = (name, pass, detail) => checks.push({ name, pass: !!pass, detail });
  const printFailures = (label, failures) => {
    if (!failures.length) return;
    const byStatus = {};
    for (const failure of failures) byStatus[failure.status] = (byStatus[failure.status] ?? 0) + 1;
    console.log(`\n${label}: ${failures.length} non-200 answers ${JSON.stringify(byStatus)}; first ones:`);
    for (const failure of failures.slice(0, 10)) console.log(`  #${failure.index} ${failure.svixId} -> ${failure.status} ${failure.body}`);
  };

  /** JIT warm-up on other users, emptied tables, then the measured run of every event. */
  const measurePhase = async (label, app, url) => {
    const warmup = await sendFromWorker(url, sign(warmupEvents));
    printFailures(`${label}, warm-up`, warmup.failures);
    await app.db.query('TRUNCATE clerk_users, clerk_webhook_events');
    const deliveries = sign(events);
    api.clearRequests();
    queryCounter.count = 0;
    const cpuBefore = process.cpuUsage();
    const raw = await sendFromWorker(url, deliveries);
    const cpu = process.cpuUsage(cpuBefore);
    const queries = queryCounter.count;
    const result = summarize(raw, deliveries.length);
    // The whole process: server, senders (worker thread) and, with PGlite, the database.
    result.cpuPerEvent = (cpu.user + cpu.system) / deliveries.length;
    const apiCalls = api.requests.filter((request) => request.path.startsWith('/v1/users/')).length;
    printFailures(label, result.failures);
    return { deliveries, result, queries, apiCalls };
  };

  // ---- 1. the module's endpoint: POST /webhooks/clerk --------------------------------------
  class OursModule {}
  Module({ imports: [typeorm(), ClerkUsersModule.forRoot(kit.moduleOptions())] })(OursModule);
  const ours = await startApp(OursModule);
  const oursUrl = `${ours.base}/webhooks/clerk`;

  const { deliveries: oursDeliveries, result: oursResult, queries: oursQueries, apiCalls: oursApiCalls } = await measurePhase('ours', ours, oursUrl);

  const total = events.length;
  check(`ours: all ${total} deliveries answered 200`, oursResult.ok === total, `${oursResult.ok}/${total}`);
  const oursRows = await count(ours.db, 'SELECT count(*) FROM clerk_users');
  check(`ours: SELECT count(*) FROM clerk_users = ${USERS}`, oursRows === USERS, oursRows);
  const oursNotNewest = await count(ours.db, `SELECT count(*) FROM clerk_users WHERE "firstName" <> 'v${VERSIONS}'`);
  check(`ours: every row's firstName = 'v${VERSIONS}' (the newest)`, oursNotNewest === 0 && oursRows > 0, `${oursNotNewest} rows differ`);
  const processed = await count(ours.db, 'SELECT count(*) FROM clerk_webhook_events WHERE processed_at IS NOT NULL');
  check(`ours: clerk_webhook_events processed = ${total}`, processed === total, processed);
  const notOnce = await count(ours.db, 'SELECT count(*) FROM clerk_webhook_events WHERE attempts <> 1 OR processed_at IS NULL');
  check('ours: every event applied exactly once (attempts = 1)', notOnce === 0 && processed === total, `${notOnce} rows with attempts <> 1 or unprocessed`);

  // Svix retries: re-post already-delivered bodies/headers; they must answer 200 and change nothing.
  const usersBefore = await usersDigest(ours.db);
  const eventsBefore = await eventsDigest(ours.db);
  // Only deliveries that were acknowledged: re-posting a failed one is a legitimate retry, not a duplicate.
  const failedIndexes = new Set(oursResult.failures.map((failure) => failure.index));
  const acknowledged = oursDeliveries.map((_, i) => i).filter((i) => !failedIndexes.has(i));
  const duplicates = shuffle(acknowledged).slice(0, DUPLICATES).map((i) => oursDeliveries[i]);
  const duplicateRaw = await sendFromWorker(oursUrl, duplicates);
  printFailures('ours, duplicates', duplicateRaw.failures);
  const usersAfter = await usersDigest(ours.db);
  const eventsAfter = await eventsDigest(ours.db);
  const processedAfter = await count(ours.db, 'SELECT count(*) FROM clerk_webhook_events WHERE processed_at IS NOT NULL');
  check(`ours: ${duplicates.length} duplicate deliveries answered 200`, duplicateRaw.failures.length === 0, `${duplicates.length - duplicateRaw.failures.length}/${duplicates.length}`);
  check(`ours: after duplicates, processed events unchanged (${processed})`, processedAfter === processed && Number(eventsAfter.attempts) === Number(eventsBefore.attempts), `${processed} -> ${processedAfter} processed, attempts ${eventsBefore.attempts} -> ${eventsAfter.attempts}`);
  check('ours: duplicates changed no row (clerk_users and clerk_webhook_events digests equal)', usersBefore.digest === usersAfter.digest && eventsBefore.digest === eventsAfter.digest, `users ${usersBefore.n}->${usersAfter.n}, events ${eventsBefore.n}->${eventsAfter.n}`);
  await ours.app.close();

  // ---- 2. the seed's approach: one Backend API fetch per event, no idempotency table --------
  class SeedWebhookController {
    constructor(clerk, users) {
      this.clerk = clerk;
      this.users = users;
    }

    async receive(event) {
      const user = await this.clerk.users.getUser(event.data.id);
      await this.users.upsertFromClerkUser(user.raw);
      return { ok: true };
    }
  }
  const seedProto = SeedWebhookController.prototype;
  Reflect.decorate(
    [ClerkWebhookEndpoint({ secret: kit.webhookSecret }), Post('seed-webhook'), HttpCode(200)],
    seedProto,
    'receive',
    Object.getOwnPropertyDescriptor(seedProto, 'receive'),
  );
  VerifiedClerkWebhookEvent()(seedProto, 'receive', 0);
  Inject(CLERK_CLIENT)(SeedWebhookController, undefined, 0);
  Inject(ClerkUsersService)(SeedWebhookController, undefined, 1);
  Controller()(SeedWebhookController);
  class SeedModule {}
  Module({ imports: [typeorm(), ClerkUsersModule.forRoot({ ...kit.moduleOptions(), webhookPath: false })], controllers: [SeedWebhookController] })(SeedModule);

  const seed = await startApp(SeedModule);
  const seedUrl = `${seed.base}/seed-webhook`;
  const { result: seedResult, queries: seedQueries, apiCalls } = await measurePhase('seed-style', seed, seedUrl);
  check(`seed-style: all ${total} deliveries answered 200`, seedResult.ok === total, `${seedResult.ok}/${total}`);
  const seedRows = await count(seed.db, 'SELECT count(*) FROM clerk_users');
  check(`seed-style: SELECT count(*) FROM clerk_users = ${USERS}`, seedRows === USERS, seedRows);
  const seedNotNewest = await count(seed.db, `SELECT count(*) FROM clerk_users WHERE "firstName" <> 'v${VERSIONS}'`);
  check(`seed-style: every row's firstName = 'v${VERSIONS}'`, seedNotNewest === 0 && seedRows > 0, `${seedNotNewest} rows differ`);
  await seed.app.close();

  await kit.close();
  await database.stop();

  // ---- report -------------------------------------------------------------------------------
  const ms = (value) => `${value.toFixed(1).padStart(6)} ms`;
  const row = (name, r) => `${name.padEnd(44)} ${r.rate.toFixed(0).padStart(6)} events/s   p50 ${ms(r.p50)}   p99 ${ms(r.p99)}   (${r.ok}/${total} x 200 in ${r.seconds.toFixed(2)} s)`;
  console.log(
    `\nwebhook benchmark: ${total} signed user.updated events for ${USERS} users (${VERSIONS} versions each, shuffled with seed ${SEED}: ` +
      `${outOfOrderUsers} users get theirs out of order), ${SENDERS} concurrent senders (keep-alive connections, worker thread), ` +
      `database ${database.embedded ? 'embedded PGlite (pool 1)' : 'PostgreSQL (pool 10)'}, node ${process.version}; ` +
      `warm-up: ${warmupEvents.length} events of ${WARMUP_USERS} other users, then TRUNCATE`,
  );
  console.log(row('nestjs-clerk-users  POST /webhooks/clerk', oursResult));
  console.log(row('seed-style (1 Backend API fetch per event)', seedResult));
  console.log(`ours / seed-style        = ${(oursResult.rate / seedResult.rate).toFixed(2)}x events/s`);
  console.log(`goal: >= ${GOAL} events/s  -> ${oursResult.rate >= GOAL ? 'MET' : 'MISSED'} (${oursResult.rate.toFixed(0)} events/s)`);
  console.log(`Backend API calls (GET /v1/users/{id}): ours ${oursApiCalls}, seed-style ${apiCalls}`);
  console.log(`SQL statements per event:              ours ${(oursQueries / total).toFixed(2)}, seed-style ${(seedQueries / total).toFixed(2)} (BEGIN/COMMIT included)`);
  console.log(`node CPU per event (server + senders): ours ${oursResult.cpuPerEvent.toFixed(0)} µs, seed-style ${seedResult.cpuPerEvent.toFixed(0)} µs`);
  console.log('checks:');
  for (const { name, pass, detail } of checks) console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${name}  [${detail}]`);
  const failed = checks.filter((c) => !c.pass).length;
  console.log(failed ? `${failed} check(s) FAILED` : 'all checks passed');
  process.exitCode = failed ? 1 : 0;
}
