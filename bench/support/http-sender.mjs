// A lean HTTP/1.1 load generator for the benchmarks: each sender owns one keep-alive TCP connection
// and posts pre-encoded requests one after the other, reading Content-Length framed responses.
// fetch (undici) costs ~700 µs of CPU per request on a 2-core VM and node:http ~170 µs; this costs
// a fraction of that, CPU the load generator would otherwise take from the server it measures.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

/** The bytes of one POST request. */
export function encodePost(url, headers, body) {
  const target = new URL(url);
  const payload = Buffer.from(body);
  const lines = [`POST ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`, `content-length: ${payload.length}`];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'content-length' && name.toLowerCase() !== 'host') lines.push(`${name}: ${value}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

/** One keep-alive connection: `send(bytes)` resolves `{ status, text }` of the response. */
export async function openConnection(url) {
  const target = new URL(url);
  const socket = net.connect(Number(target.port), target.hostname);
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffered = Buffer.alloc(0);
  let waiting = null;
  const fail = (error) => {
    if (waiting) waiting.reject(error);
    waiting = null;
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const end = buffered.indexOf(HEADER_END);
    if (end < 0 || !waiting) return;
    const head = buffered.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return fail(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
    const total = end + HEADER_END.length + Number(length[1]);
    if (buffered.length < total) return;
    const response = { status: Number(head.slice(9, 12)), text: buffered.toString('utf8', end + HEADER_END.length, total) };
    buffered = buffered.subarray(total);
    const { resolve } = waiting;
    waiting = null;
    resolve(response);
  });
  return {
    send(bytes) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(bytes);
      });
    },
    close() {
      socket.destroy();
    },
  };
}
