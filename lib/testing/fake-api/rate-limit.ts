import { Agent, createServer, request as forward, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureResponse, listenOnLoopback, sendJson, type JsonResponse } from './http.js';

/** How a Backend API behaves under load: answer latency and a request rate limit. */
export interface FakeApiTrafficOptions {
  /** Added to every answer, in ms (the real Backend API answers in tens of ms). Default 0. */
  latencyMs?: number;
  /**
   * Requests accepted in any one-second window; the others are answered 429 with Clerk's error body
   * (`too_many_requests`) and `Retry-After` in whole seconds, as the real API does. Default: no limit.
   */
  rateLimitPerSecond?: number;
}

/** What a {@link FakeApiTraffic} has answered so far. */
export interface FakeApiTrafficStats {
  /** Requests passed on to the API. */
  accepted: number;
  /** Requests answered 429. */
  rateLimited: number;
  /** `performance.now()` of the first and the last request (`null` before any). */
  firstAt: number | null;
  lastAt: number | null;
}

const WINDOW_MS = 1000;

/**
 * Latency and a sliding-window rate limit in front of a Backend API: `wrap` a request listener (such
 * as the fake's), or {@link FakeApiTraffic.start} a front on its own port that forwards to any API
 * URL. Only accepted requests count towards the limit, so a client that honours `Retry-After` gets
 * the whole limit and one that hammers gets 429s.
 */
export class FakeApiTraffic {
  readonly stats: FakeApiTrafficStats = { accepted: 0, rateLimited: 0, firstAt: null, lastAt: null };
  private readonly latencyMs: number;
  private readonly limit: number;
  /** Times (ms) of the requests accepted in the last window, oldest first, from `head` on. */
  private accepted: number[] = [];
  private head = 0;

  constructor(options: FakeApiTrafficOptions = {}) {
    const latency = options.latencyMs ?? 0;
    const limit = options.rateLimitPerSecond ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(latency) || latency < 0) throw new RangeError(`FakeApiTraffic: latencyMs must be 0 or more, got ${latency}`);
    if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))) throw new RangeError(`FakeApiTraffic: rateLimitPerSecond must be a whole number of at least 1, got ${limit}`);
    this.latencyMs = latency;
    this.limit = limit;
  }

  /** A front on 127.0.0.1 that applies the traffic options and forwards everything else to `targetUrl`. */
  static async start(targetUrl: string, options: FakeApiTrafficOptions = {}): Promise<FakeApiTrafficFront> {
    const traffic = new FakeApiTraffic(options);
    const target = new URL(targetUrl);
    const agent = new Agent({ keepAlive: true });
    const server = createServer(
      traffic.wrap((req, res) => {
        const upstream = forward(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => sendJson(res, failureResponse({ status: 502, retryAfterSeconds: undefined, remaining: 1, pathPrefix: undefined })));
        req.pipe(upstream);
      }),
    );
    await listenOnLoopback(server);
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      stats: traffic.stats,
      close: () =>
        new Promise<void>((resolve, reject) => {
          agent.destroy();
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        }),
    };
  }

  /** `null` when a request arriving now is accepted (and counted), else the 429 to answer. */
  admit(now: number = performance.now()): JsonResponse | null {
    this.stats.firstAt ??= now;
    this.stats.lastAt = now;
    while (this.head < this.accepted.length && this.accepted[this.head] <= now - WINDOW_MS) this.head++;
    if (this.head > 1024) {
      this.accepted = this.accepted.slice(this.head);
      this.head = 0;
    }
    if (this.accepted.length - this.head >= this.limit) {
      this.stats.rateLimited++;
      const waitMs = this.accepted[this.head] + WINDOW_MS - now;
      return failureResponse({ status: 429, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), remaining: 1, pathPrefix: undefined });
    }
    this.accepted.push(now);
    this.stats.accepted++;
    return null;
  }

  /** `listener` behind the latency and the limit (the limit is decided when the request arrives). */
  wrap(listener: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      const refusal = this.admit();
      const answer = () => {
        if (!refusal) return listener(req, res);
        // Read the body to its end so the keep-alive connection stays usable.
        req.resume();
        req.once('end', () => sendJson(res, refusal));
      };
      if (this.latencyMs > 0) setTimeout(answer, this.latencyMs);
      else answer();
    };
  }
}

/** A running {@link FakeApiTraffic.start} front. */
export interface FakeApiTrafficFront {
  /** Pass it as `apiUrl` instead of the API's own URL. */
  url: string;
  stats: FakeApiTrafficStats;
  close(): Promise<void>;
}
