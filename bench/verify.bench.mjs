// npm run bench:verify — what one fresh session token costs the library in process, without HTTP:
// ClerkTokenVerifier.verify() (classification, decoding, the RS256 check on the kept key, Clerk's claim
// rules, the auth object, the in-process memo, full at 10,000 tokens as under load) against the RS256
// check alone (node:crypto on the same key and the same tokens), in interleaved blocks, so the machine's
// drift hits both alike. Prints the median µs per token of each and of their difference (the library's
// own work per fresh token), and the bytes it allocates per token (V8's sampling heap profiler,
// collected objects included).
// BENCH_LIB: the compiled library to load (default ../dist); BENCH_LIB_B: a second build, run in the
// same blocks for an A/B comparison (e.g. the previous commit's dist).
import { createPublicKey, verify } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.CLERK_TELEMETRY_DISABLED = '1';
const libUrl = (dir) => (dir ? pathToFileURL(`${resolve(dir)}/`) : new URL('../dist/', import.meta.url));
const BLOCK = Number(process.env.BENCH_BLOCK ?? 800);
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 24);
const MEMO = 10_000;

async function verifierOf(lib) {
  const { ClerkTokenVerifier } = await import(new URL('auth/clerk-token-verifier.service.js', lib).href);
  const { resolveClerkUsersOptions } = await import(new URL('options/resolve-options.js', lib).href);
  const options = resolveClerkUsersOptions({ ...kit.moduleOptions({}), cacheTtlSeconds: 3600 });
  // jwtKey is set: no JWKS, no shared cache, no Backend API call on this path.
  const unused = () => { throw new Error('not on the jwtKey path'); };
  return new ClerkTokenVerifier(options, { get: unused, set: unused }, { jwks: { getJwks: unused } });
}

const { ClerkTestKit } = await import(new URL('testing/index.js', libUrl(process.env.BENCH_LIB)).href);
const kit = await ClerkTestKit.create();
const builds = { a: await verifierOf(libUrl(process.env.BENCH_LIB)) };
if (process.env.BENCH_LIB_B) builds.b = await verifierOf(libUrl(process.env.BENCH_LIB_B));
const rsaKey = createPublicKey(kit.jwtKey);

// One token per verification, none repeating; copied so each is a fresh string, as a request header gives it.
const count = MEMO + BLOCK * (BLOCKS + 1);
const tokens = [];
for (let i = 0; i < count; i++) tokens.push(kit.mintSessionToken({ userId: `user_${String(i % 10_000).padStart(27, '0')}`, sessionId: `sess_bench_${i}`, expiresInSeconds: 3600 }));
const fresh = (token) => [...token].join('');

const rsaOnly = (token) => {
  const dot = token.lastIndexOf('.');
  if (!verify('sha256', Buffer.from(token.slice(0, dot), 'latin1'), rsaKey, Buffer.from(token.slice(dot + 1), 'base64url'))) throw new Error('bad signature');
};
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

for (const verifier of Object.values(builds)) for (const token of tokens.slice(0, MEMO)) await verifier.verify(fresh(token));
const perToken = { rsa: [], ...Object.fromEntries(Object.keys(builds).map((name) => [name, []])) };
for (let block = 0; block < BLOCKS; block++) {
  const first = MEMO + block * BLOCK;
  for (const name of Object.keys(perToken)) {
    const list = tokens.slice(first, first + BLOCK).map(fresh);
    const started = cpu();
    if (name === 'rsa') for (const token of list) rsaOnly(token);
    else for (const token of list) await builds[name].verify(token);
    perToken[name].push((cpu() - started) / BLOCK);
  }
}

// Allocation of build a: a last block under the sampling heap profiler.
const session = new Session();
session.connect();
const sampled = tokens.slice(MEMO + BLOCKS * BLOCK).map(fresh);
await session.post('HeapProfiler.startSampling', { samplingInterval: 16, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (const token of sampled) await builds.a.verify(token);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();
const allocated = (node) => node.selfSize + node.children.reduce((sum, child) => sum + allocated(child), 0);

const median = (list) => [...list].sort((x, y) => x - y)[list.length >> 1];
const above = (name) => median(perToken[name].map((value, i) => value - perToken.rsa[i]));
console.log(`verify benchmark: ${BLOCKS} interleaved blocks of ${BLOCK} fresh tokens, memo full at ${MEMO}, node ${process.version}`);
console.log(`RS256 check alone (node:crypto, same key)    ${median(perToken.rsa).toFixed(1).padStart(6)} µs per token`);
for (const name of Object.keys(builds)) {
  const label = name === 'a' ? 'ClerkTokenVerifier.verify()' : 'ClerkTokenVerifier.verify() of BENCH_LIB_B';
  console.log(`${label.padEnd(44)} ${median(perToken[name]).toFixed(1).padStart(6)} µs per token, ${above(name).toFixed(1)} µs above the RS256 check (median of per-block differences)`);
}
console.log(`allocated per fresh token: ${(allocated(profile.head) / sampled.length).toFixed(0)} bytes (sampling heap profiler, collected objects included)`);
await kit.close?.();
