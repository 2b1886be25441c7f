import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { ClerkTestKit, type FakeClerkApi } from '../../lib/testing/index.js';
import type { TestApp } from '../support/create-app.js';

interface HeldRequest {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * A real HTTP server in front of the fake Backend API. While `stalled` it accepts requests and never
 * answers them (Clerk hanging); otherwise it forwards them. `release()` forwards the held ones late.
 */
export class StallingBackendApi {
  stalled = false;
  /** Paths of every request received, held or forwarded. */
  readonly paths: string[] = [];
  private readonly held: HeldRequest[] = [];

  private constructor(
    private readonly server: Server,
    private readonly upstream: string,
    /** Base URL, for `apiUrl`. */
    readonly url: string,
  ) {}

  static async start(upstream: string): Promise<StallingBackendApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new StallingBackendApi(server, upstream, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => api.handle(req, res));
    return api;
  }

  /** How many requests asked for this path. */
  count(path: string): number {
    return this.paths.filter((p) => p === path).length;
  }

  /** Answers every held request now (from upstream), as a Clerk that was only slow would. */
  release(): void {
    for (const held of this.held.splice(0)) this.forward(held);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.paths.push(new URL(req.url ?? '/', this.url).pathname);
    if (this.stalled) this.held.push({ req, res });
    else this.forward({ req, res });
  }

  private forward({ req, res }: HeldRequest): void {
    const outgoing = forward(new URL(req.url ?? '/', this.upstream), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    outgoing.on('error', () => res.destroy());
    req.pipe(outgoing);
  }
}

/** A describe block's kit, its fake Backend API, a stalling server in front of it, and one app. */
export interface StallingClerkSuite {
  readonly kit: ClerkTestKit;
  readonly api: FakeClerkApi;
  readonly clerk: StallingBackendApi;
  readonly harness: TestApp;
}

/**
 * Registers `beforeAll`/`afterAll` for a kit with its fake Backend API, a `StallingBackendApi` in front
 * of it, and the app `startApp` builds on them (with the stalling server's `url` as `apiUrl`); the
 * server answers again (`stalled = false`) before each test.
 */
export function useStallingClerk(startApp: (kit: ClerkTestKit, clerkUrl: string) => Promise<TestApp>): StallingClerkSuite {
  let state: { kit: ClerkTestKit; api: FakeClerkApi; clerk: StallingBackendApi; harness?: TestApp } | undefined;
  const started = () => {
    if (!state?.harness) throw new Error('useStallingClerk: read the suite in a hook or a test');
    return state as Required<typeof state>;
  };
  beforeAll(async () => {
    const kit = await ClerkTestKit.create();
    const api = await kit.startFakeApi();
    state = { kit, api, clerk: await StallingBackendApi.start(api.url) };
    state.harness = await startApp(kit, state.clerk.url);
  });
  afterAll(async () => {
    await state?.harness?.close();
    await state?.clerk.close();
    await state?.kit.close();
    state = undefined;
  });
  beforeEach(() => {
    if (state) state.clerk.stalled = false;
  });
  return {
    get kit() {
      return started().kit;
    },
    get api() {
      return started().api;
    },
    get clerk() {
      return started().clerk;
    },
    get harness() {
      return started().harness;
    },
  };
}
