// npm run bench:auth — throughput of a @Public route, the same route behind the global
// ClerkAuthGuard (warm caches) and behind @clerk/express clerkMiddleware() + getAuth(),
// all in one process (two Nest apps), same token, same jwtKey, driven by bench/support/raw-load.mjs in a child
// process over loopback, so this process's CPU time per request is the server's alone.
// Cold rounds: every request carries a session token never seen before (minted up front, none
// repeats), for one of BENCH_USERS (10,000) users whose rows are already cached.
// BENCH_LIB: the compiled library to load (default ../dist, what `npm run bench:auth` builds);
// BENCH_TARGETS: which of public,sameBytes,guarded,feature,clerkExpress,cold,coldPublic,coldRsa,coldClerkExpress to run
// (coldPublic: the public route driven by the cold rounds' generator with the same tokens under another
// header name, so the cold rounds' extra client work is in the baseline too; coldRsa: the same, on a
// public route that checks each token's RS256 signature with node:crypto and nothing else, the floor of
// any verifier that checks one signature per fresh token, measured in this process under this load).
import 'reflect-metadata';
import { Controller, Get, Module, Req, UnauthorizedException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { clerkMiddleware, getAuth } from '@clerk/express';
import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startDatabase } from './support/database.mjs';

const LIB = process.env.BENCH_LIB ? pathToFileURL(`${resolve(process.env.BENCH_LIB)}/`) : new URL('../dist/', import.meta.url);
const { ClerkUsersModule, ClerkUserResolver, Public, RequireFeature, clerkUsersMigrations } = await import(new URL('index.js', LIB).href);
const { ClerkTestKit } = await import(new URL('testing/index.js', LIB).href);

process.env.CLERK_TELEMETRY_DISABLED = '1';
const execFileAsync = promisify(execFile);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const COLD_REQUESTS = Number(process.env.BENCH_COLD_REQUESTS ?? 10_000);
const TARGETS = new Set((process.env.BENCH_TARGETS ?? 'public,sameBytes,guarded,feature,clerkExpress,cold,coldPublic,coldRsa,coldClerkExpress').split(','));
const COLD = ['cold', 'coldPublic', 'coldRsa', 'coldClerkExpress'].some((target) => TARGETS.has(target));

const queryCounter = { count: 0, logQuery() { this.count++; }, logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} };

class PingController {
  ping() { return { pong: true }; }
  publicPing() { return { pong: true }; }
  feature() { return { pong: true }; }
  /** The RSA floor: the token (sent as `x-padding: Bearer <token>`) has its signature checked, nothing else. */
  rsaPing(request) {
    const token = String(request.headers['x-padding']).slice('Bearer '.length);
    const dot = token.lastIndexOf('.');
    if (!verify('sha256', Buffer.from(token.slice(0, dot), 'latin1'), rsaKey, Buffer.from(token.slice(dot + 1), 'base64url'))) throw new UnauthorizedException();
    return { pong: true };
  }
}
const proto = PingController.prototype;
const describe = (target, name) => Object.getOwnPropertyDescriptor(target, name);
Reflect.decorate([Get('ping')], proto, 'ping', describe(proto, 'ping'));
Reflect.decorate([Public(), Get('public/ping')], proto, 'publicPing', describe(proto, 'publicPing'));
Reflect.decorate([Public(), Get('rsa/ping')], proto, 'rsaPing', describe(proto, 'rsaPing'));
Req()(proto, 'rsaPing', 0);
// A billing-feature route (issue 15): the same warm token carries `fea: 'u:export'`.
Reflect.decorate([RequireFeature('export'), Get('feature/ping')], proto, 'feature', describe(proto, 'feature'));
Controller()(PingController);

// @clerk/express owns `req.auth` (a function), so its route lives in a second Nest app of its own.
class ClerkExpressController {
  ping(request) {
    const auth = getAuth(request);
    if (!auth.userId) throw new UnauthorizedException();
    return { pong: true };
  }
}
Reflect.decorate([Get('clerk-express/ping')], ClerkExpressController.prototype, 'ping', describe(ClerkExpressController.prototype, 'ping'));
Req()(ClerkExpressController.prototype, 'ping', 0);
Controller()(ClerkExpressController);
class ClerkExpressModule {}
Module({ controllers: [ClerkExpressController] })(ClerkExpressModule);

const LOAD = fileURLToPath(new URL('./support/raw-load.mjs', import.meta.url));

/**
 * One load run by bench/support/raw-load.mjs in a child process, so this process's CPU time is the
 * server's alone: `cpuPerRequest` (µs of server CPU per request) is the machine-noise-resistant
 * figure (steal time on a shared VM moves req/s a lot, CPU time per request much less). Every target,
 * warm or cold, is driven by the same generator, so their ratios compare the server's work only.
 */
async function load(url, args, headers) {
  const cpuBefore = process.cpuUsage();
  const { stdout } = await execFileAsync(process.execPath, [LOAD, url, String(CONNECTIONS), ...args], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, BENCH_HEADERS: JSON.stringify(headers) } });
  const cpu = process.cpuUsage(cpuBefore);
  const result = JSON.parse(stdout);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  const total = result.requests.total;
  return { result, rps: total / result.duration, p50: result.latency.p50, p99: result.latency.p99, total, cpuPerRequest: (cpu.user + cpu.system) / total };
}

/** A warm run: the same request (`headers`) for DURATION seconds. */
const measure = (url, headers) => load(url, [String(DURATION)], headers);

/** One cold run: `count` requests from line `first` of the token file, each token once (as `<header>: Bearer <token>`). */
async function measureCold(url, tokenFile, first, count, header = 'authorization') {
  const run = await load(url, ['0', tokenFile, String(first), String(count), header], {});
  if (run.result.tokensUsed !== count || run.total !== count) throw new Error(`${url}: ${run.total} requests for ${count} tokens (${run.result.tokensUsed} used): a token would repeat`);
  return run;
}

const database = await startDatabase();
const kit = await ClerkTestKit.create();
const api = await kit.startFakeApi();
const user = api.addUser({ email: 'bench@example.com' });
const rsaKey = createPublicKey(kit.jwtKey);
const users = COLD ? Array.from({ length: USERS }, (_, i) => api.addUser({ email: `cold${i}@example.com` })) : [];

class BenchModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', url: database.url, uuidExtension: 'pgcrypto', dropSchema: true, migrationsRun: true, migrations: clerkUsersMigrations, autoLoadEntities: true, logging: ['query'], logger: queryCounter, poolSize: database.embedded ? 1 : 10 }),
    ClerkUsersModule.forRoot(kit.moduleOptions({ cacheTtlSeconds: 3600, webhookPath: false })),
  ],
  controllers: [PingController],
})(BenchModule);

const app = await NestFactory.create(BenchModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
const clerkApp = await NestFactory.create(ClerkExpressModule, { logger: ['error'] });
clerkApp.use(clerkMiddleware({ publishableKey: kit.publishableKey, secretKey: kit.secretKey, jwtKey: kit.jwtKey, authorizedParties: [kit.authorizedParty], apiUrl: api.url }));
await clerkApp.listen(0, '127.0.0.1');
const clerkBase = (await clerkApp.getUrl()).replace('[::1]', '127.0.0.1');

// A token valid for the whole run (Clerk's own last 60 s; the frontend refreshes them).
const token = kit.mintSessionToken({ userId: user.id, expiresInSeconds: 3600, claims: { fea: 'u:export' } });
const headers = { authorization: `Bearer ${token}` };
for (const url of [`${base}/ping`, `${clerkBase}/clerk-express/ping`]) {
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`warm-up ${url} answered ${response.status}`);
}

// The cold rounds' tokens, minted before any load: one per request, each for one of USERS users
// (round-robin), a session id of its own, none repeating. Their users are provisioned and their rows
// cached first (the resolver, in process), so a cold request differs from a warm one by its token alone.
const coldRounds = COLD ? ROUNDS : 0;
const tokenDir = mkdtempSync(join(tmpdir(), 'bench-auth-'));
const tokenFile = join(tokenDir, 'cold-tokens.txt');
let coldTokens = 0;
if (coldRounds) {
  const resolver = app.get(ClerkUserResolver);
  for (let i = 0; i < users.length; i += 50) {
    await Promise.all(users.slice(i, i + 50).map((u) => resolver.resolve({ userId: u.id, sessionId: 'sess_provision', tokenType: 'session_token', claims: {}, expiresAt: null })));
  }
  const minted = [];
  for (let i = 0; i < coldRounds * COLD_REQUESTS; i++) {
    minted.push(kit.mintSessionToken({ userId: users[i % users.length].id, sessionId: `sess_cold_${i}`, expiresInSeconds: 3600 }));
  }
  if (new Set(minted).size !== minted.length) throw new Error('a cold token repeats');
  coldTokens = minted.length;
  writeFileSync(tokenFile, minted.join('\n'));
}

await measure(`${base}/public/ping`, {}); // JIT warm-up, discarded
// Interleaved rounds; the median round of each target is reported, so one noisy slice cannot decide.
// Control: the public route with a header as large as the token under another name, so the same bytes
// are sent and parsed; the difference to the guarded route is then the guard's own work.
const paddedHeaders = { 'x-padding': 'p'.repeat(token.length + 'Bearer '.length) };
const rounds = { public: [], publicSameBytes: [], guarded: [], feature: [], clerkExpress: [], cold: [], coldPublic: [], coldRsa: [], coldClerkExpress: [] };
queryCounter.count = 0;
api.clearRequests();
let guardedRequests = 0;
let coldQueries = 0;
let coldRequests = 0;
for (let round = 0; round < ROUNDS; round++) {
  if (TARGETS.has('public')) rounds.public.push(await measure(`${base}/public/ping`, {}));
  if (TARGETS.has('sameBytes')) rounds.publicSameBytes.push(await measure(`${base}/public/ping`, paddedHeaders));
  if (TARGETS.has('guarded')) {
    const guarded = await measure(`${base}/ping`, headers);
    guardedRequests += guarded.total;
    rounds.guarded.push(guarded);
  }
  if (TARGETS.has('feature')) {
    const feature = await measure(`${base}/feature/ping`, headers);
    guardedRequests += feature.total;
    rounds.feature.push(feature);
  }
  if (TARGETS.has('clerkExpress')) rounds.clerkExpress.push(await measure(`${clerkBase}/clerk-express/ping`, headers));
  const first = round * COLD_REQUESTS;
  if (TARGETS.has('cold')) {
    const before = queryCounter.count;
    const cold = await measureCold(`${base}/ping`, tokenFile, first, COLD_REQUESTS);
    coldQueries += queryCounter.count - before;
    coldRequests += cold.total;
    rounds.cold.push(cold);
  }
  if (TARGETS.has('coldPublic')) rounds.coldPublic.push(await measureCold(`${base}/public/ping`, tokenFile, first, COLD_REQUESTS, 'x-padding'));
  if (TARGETS.has('coldRsa')) rounds.coldRsa.push(await measureCold(`${base}/rsa/ping`, tokenFile, first, COLD_REQUESTS, 'x-padding'));
  // @clerk/express keeps no verified tokens: the same never-seen tokens cost it what any token does.
  if (TARGETS.has('coldClerkExpress')) rounds.coldClerkExpress.push(await measureCold(`${clerkBase}/clerk-express/ping`, tokenFile, first, COLD_REQUESTS));
}
const warmQueries = queryCounter.count - coldQueries;
const apiCalls = api.requests.length;
rmSync(tokenDir, { recursive: true, force: true });
const median = (list) => (list.length ? [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)] : null);
const medianOf = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
// Ratios are taken within each round (adjacent runs), then the median: machine-speed drift cancels out.
const ratio = (a, b, of = (x, y) => x.rps / y.rps) => (rounds[a].length && rounds[b].length ? medianOf(rounds[a].map((x, i) => of(x, rounds[b][i]))) : NaN);
const cpuAbove = (a, b) => ratio(a, b, (x, y) => x.cpuPerRequest - y.cpuPerRequest);

await app.close();
await clerkApp.close();
await kit.close();
await database.stop();

const row = (name, r) => (r ? `${name.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   server CPU ${r.cpuPerRequest.toFixed(0).padStart(4)} µs/request` : `${name.padEnd(40)} (not run)`);
const fixed = (value, digits = 2) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
console.log(`\nauth benchmark: ${CONNECTIONS} connections, median of ${ROUNDS} interleaved rounds (${DURATION}-s warm rounds, ${COLD_REQUESTS} requests per cold round), database ${database.embedded ? 'embedded PGlite' : 'PostgreSQL'}, node ${process.version}`);
console.log(row('@Public() route (no auth)', median(rounds.public)));
console.log(row('@Public() route, same request bytes', median(rounds.publicSameBytes)));
console.log(row('ClerkAuthGuard (warm caches)', median(rounds.guarded)));
console.log(row('@RequireFeature route (warm caches)', median(rounds.feature)));
console.log(row('@clerk/express clerkMiddleware', median(rounds.clerkExpress)));
console.log(row('ClerkAuthGuard, cold (never-seen tokens)', median(rounds.cold)));
console.log(row('@Public() route, cold generator, same bytes', median(rounds.coldPublic)));
console.log(row('@Public() route checking the RSA signature', median(rounds.coldRsa)));
console.log(row('@clerk/express, cold (same tokens)', median(rounds.coldClerkExpress)));
console.log(`warm: guarded / public          = ${fixed(ratio('guarded', 'public'))}   (median of per-round ratios; goal >= 0.90)`);
console.log(`warm: @RequireFeature / public = ${fixed(ratio('feature', 'public'))}   (goal >= 0.90)`);
console.log(`warm: guarded / public (same bytes) = ${fixed(ratio('guarded', 'publicSameBytes'))}   (control: the public request carries an equally large header)`);
console.log(`warm: guard CPU = ${fixed(cpuAbove('guarded', 'public'), 1)} µs per request above the public route (${fixed(cpuAbove('guarded', 'publicSameBytes'), 1)} above same bytes)`);
console.log(`warm: guarded / @clerk/express  = ${fixed(ratio('guarded', 'clerkExpress'))}   (goal >= 1.50)`);
console.log(`cold: guarded / public          = ${fixed(ratio('cold', 'public'))}   (goal >= 0.75)`);
console.log(`cold: guarded / public (same generator and bytes) = ${fixed(ratio('cold', 'coldPublic'))}   (control: the public route under the cold rounds' load generator)`);
console.log(`cold: guard CPU = ${fixed(cpuAbove('cold', 'public'), 1)} µs per request above the public route (goal <= 60; ${fixed(cpuAbove('cold', 'coldPublic'), 1)} above the same generator and bytes)`);
console.log(`cold: RSA check alone / public = ${fixed(ratio('coldRsa', 'public'))}   (control: the best any verifier checking one signature per fresh token reaches here; ${fixed(cpuAbove('coldRsa', 'coldPublic'), 1)} µs per request above the same generator and bytes)`);
console.log(`cold: guarded / RSA check alone = ${fixed(ratio('cold', 'coldRsa'))}   (guard CPU ${fixed(cpuAbove('cold', 'coldRsa'), 1)} µs per request above the RSA check alone)`);
console.log(`cold: guarded / @clerk/express  = ${fixed(ratio('cold', 'coldClerkExpress'))}   (both verifying every token)`);
console.log(`cold tokens: ${coldTokens} minted for ${users.length} users, none repeats, each sent once per cold target`);
console.log(`queries per warm request  = ${guardedRequests ? (warmQueries / guardedRequests).toFixed(4) : 'n/a'} (${warmQueries} over ${guardedRequests}); per cold request = ${coldRequests ? (coldQueries / coldRequests).toFixed(4) : 'n/a'} (${coldQueries} over ${coldRequests}); Clerk API calls during the rounds = ${apiCalls}`);
const list = (name) => rounds[name].map((r) => r.rps.toFixed(0)).join(' ') || '-';
console.log(`rounds (req/s): public ${list('public')} | same bytes ${list('publicSameBytes')} | guarded ${list('guarded')} | @RequireFeature ${list('feature')} | @clerk/express ${list('clerkExpress')} | cold ${list('cold')} | cold-generator public ${list('coldPublic')} | RSA check alone ${list('coldRsa')} | cold @clerk/express ${list('coldClerkExpress')}`);
