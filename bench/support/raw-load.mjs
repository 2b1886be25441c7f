// Load generator for bench:auth, run as a child process (so the server's CPU time is its own):
//   node raw-load.mjs <url> <connections> <seconds> [tokens-file first count header]
// Without a token file it sends the one request given by BENCH_HEADERS (JSON) for <seconds>; with one,
// it sends lines first..first+count-1 of the file, each once, as `<header>: Bearer <token>`, and stops
// when they are all answered. Prints { requests: { total }, duration (s), latency { p50, p99 } (ms),
// non2xx, errors, tokensUsed, clientCpuPerRequest (µs) } as JSON.
//
// Hand-written rather than autocannon, for two measured reasons (bench/support/cold-load.mjs, autocannon 9
// with `setupRequest`, against this file, 10,000 distinct requests to a bare Nest route, startup included):
// autocannon rebuilds every request from its parts when each differs, 111–121 µs of client CPU per request
// against 68–71 here, on a 2-core machine where the client's CPU is taken from the server's; and its
// `duration` comes in whole seconds (3.02 and 2.02 in those rounds), so a fixed-amount cold round of about
// 2 s had its req/s off by up to a third. This one builds every request's bytes before the clock starts
// and times the run itself; every bench:auth target, warm or cold, is driven by it, so their ratios
// compare the server's work only.
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
    let awaiting = false;
    const sendNext = () => {
      if (eachOnce ? next >= requests.length : performance.now() >= deadline) {
        socket.end();
        resolve();
        return;
      }
      const bytes = eachOnce ? requests[next++] : requests[0];
      sentAt = performance.now();
      awaiting = true;
      socket.write(bytes);
    };
    socket.on('connect', sendNext);
    // A connection the server closes (or breaks) with a request unanswered counts as an error, and ends this sender.
    socket.on('close', () => {
      if (awaiting) errors++;
      resolve();
    });
    socket.on('error', () => {});
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
        awaiting = false;
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
