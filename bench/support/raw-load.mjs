// Load generator for bench:auth, run as a child process (so the server's CPU time is its own):
//   node raw-load.mjs <url> <connections> <seconds> [tokens-file first count header]
// Without a token file it sends the one request given by BENCH_HEADERS (JSON) for <seconds>; with one,
// it sends lines first..first+count-1 of the file, each once, as `<header>: Bearer <token>`, and stops
// when they are all answered. Prints { requests: { total }, duration (s), latency { p50, p99 } (ms),
// non2xx, errors, tokensUsed, clientCpuPerRequest (µs) } as JSON.
//
// Hand-written rather than autocannon, for a measured reason: autocannon rebuilds a request from its
// parts on every call when each request differs (`setupRequest`), which cost its process about
// 300 µs of CPU per request here, so a cold round measured the generator (2,956 req/s on a route that
// answers 5,400 with a fixed request) and its `duration` is counted in whole seconds. This one builds
// every request's bytes before the clock starts, so a round with a fresh token per request costs the
// client what a round with one token does, and every target is driven by the same code.
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';

const [rawUrl, connectionsArg = '20', secondsArg = '5', file, firstArg = '0', countArg, header = 'authorization'] = process.argv.slice(2);
const url = new URL(rawUrl);
const connections = Number(connectionsArg);
const fixedHeaders = JSON.parse(process.env.BENCH_HEADERS ?? '{}');

const requestBytes = (headers) =>
  Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`, 'latin1');

let requests;
if (file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const first = Number(firstArg);
  const tokens = lines.slice(first, countArg === undefined ? undefined : first + Number(countArg));
  requests = tokens.map((token) => requestBytes({ ...fixedHeaders, [header]: `Bearer ${token}` }));
} else {
  requests = [requestBytes(fixedHeaders)];
}
const eachOnce = Boolean(file);
let next = 0;
let answered = 0;
let non2xx = 0;
let errors = 0;
const latencies = [];
const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: sends a request, reads its whole answer (Content-Length framed), sends the next. */
function run(deadline) {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    let sentAt = 0;
    const sendNext = () => {
      if (eachOnce ? next >= requests.length : performance.now() >= deadline) {
        socket.end();
        resolve();
        return;
      }
      const bytes = eachOnce ? requests[next++] : requests[0];
      sentAt = performance.now();
      socket.write(bytes);
    };
    socket.on('connect', sendNext);
    socket.on('error', () => {
      errors++;
      resolve();
    });
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const end = pending.indexOf(HEADER_END);
        if (end < 0) return;
        const head = pending.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const status = Number(head.slice(9, 12));
        if (status < 200 || status > 299) non2xx++;
        latencies.push(performance.now() - sentAt);
        answered++;
        pending = pending.subarray(end + 4 + length);
        sendNext();
      }
    });
  });
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
const deadline = started + Number(secondsArg) * 1000;
await Promise.all(Array.from({ length: connections }, () => run(deadline)));
const duration = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
latencies.sort((a, b) => a - b);
const percentile = (p) => (latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2)) : 0);
process.stdout.write(
  JSON.stringify({
    requests: { total: answered, average: answered / duration },
    duration,
    latency: { p50: percentile(0.5), p99: percentile(0.99) },
    non2xx,
    errors,
    tokensUsed: eachOnce ? next : 0,
    clientCpuPerRequest: (cpu.user + cpu.system) / Math.max(answered, 1),
  }),
);
