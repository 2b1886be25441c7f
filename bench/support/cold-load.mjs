// Load generator of the cold rounds (run as a child process, so the server's CPU time is its own):
// `node cold-load.mjs <url> <tokens-file> <connections> [first] [count]` sends one request per token
// of the file (one token a line; lines first..first+count-1), each token exactly once, as
// `Authorization: Bearer <token>`, and prints autocannon's JSON result.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, file, connections = '20', first = '0', count] = process.argv.slice(2);
const all = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const tokens = all.slice(Number(first), count === undefined ? undefined : Number(first) + Number(count));
let next = 0;

const result = await autocannon({
  url,
  connections: Number(connections),
  pipelining: 1,
  amount: tokens.length,
  requests: [
    {
      setupRequest(request) {
        const token = tokens[next++ % tokens.length];
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
      },
    },
  ],
});
// More calls than tokens would have sent one twice: the caller refuses such a round.
result.tokensUsed = next;
process.stdout.write(JSON.stringify(result));
