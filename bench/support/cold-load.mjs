// Load generator of requests with many tokens (run as a child process, so the server's CPU time is
// its own): `node cold-load.mjs <url> <tokens-file> <connections> [first] [count] [amount] [header]`
// sends `amount` requests (default `count`: each token exactly once) as `Authorization: Bearer <token>`
// (with `header`, as `<header>: Bearer <token>`: the same bytes and client work, no credential),
// cycling over lines first..first+count-1 of the file (one token a line), and prints autocannon's
// JSON result with `tokensUsed`, the number of tokens handed out.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, file, connections = '20', first = '0', count, amount, header = 'authorization'] = process.argv.slice(2);
const all = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const tokens = all.slice(Number(first), count === undefined ? undefined : Number(first) + Number(count));
let next = 0;

const result = await autocannon({
  url,
  connections: Number(connections),
  pipelining: 1,
  amount: amount === undefined ? tokens.length : Number(amount),
  requests: [
    {
      setupRequest(request) {
        const token = tokens[next++ % tokens.length];
        return { ...request, headers: { ...request.headers, [header]: `Bearer ${token}` } };
      },
    },
  ],
});
// More calls than tokens would have sent one twice: the caller refuses such a round.
result.tokensUsed = next;
process.stdout.write(JSON.stringify(result));
