import { afterAll, beforeAll } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ClerkUsersForRootOptions } from '../../lib/index.js';
import { ClerkTestKit, type ClerkTestKitOptions, type FakeClerkApi } from '../../lib/testing/index.js';
import { createTestApp, type TestApp, type TestAppOptions } from './create-app.js';
import type { QueryCounter } from './query-counter.js';

/** An app on the suite's kit: `createTestApp()`'s options, with `clerk` laid over `kit.moduleOptions()`. */
export interface KitAppOptions extends Omit<TestAppOptions, 'clerk'> {
  clerk?: ClerkUsersForRootOptions;
}

/** What `useClerkTestKit()` starts. */
export interface ClerkTestKitSuiteOptions {
  /** Options of `ClerkTestKit.create()` (a frontend API host of its own, say). */
  kit?: ClerkTestKitOptions;
  /** Start the kit's fake Backend API (default true). Suites without a secret key do without it. */
  fakeApi?: boolean;
}

/** What `useClerkTestApp()` starts: the kit, and the app on it. */
export type ClerkTestAppOptions = ClerkTestKitSuiteOptions & KitAppOptions;

/** Options now, or a function called in `beforeAll` (for what earlier hooks build, such as a shared cache; async to check a prerequisite first). */
type Deferred<T> = T | (() => T | Promise<T>);

/** The kit of a describe block; what it starts is closed after the block. Read it in hooks and tests only. */
export interface ClerkKitHarness {
  readonly kit: ClerkTestKit;
  /** The kit's fake Backend API. */
  readonly api: FakeClerkApi;
  /** Another app on the kit (a second instance, one app per test); closed after the block, before the kit, unless closed earlier. */
  startApp(options?: KitAppOptions): Promise<TestApp>;
}

/** The kit and the app of a describe block. */
export interface ClerkAppHarness extends ClerkKitHarness {
  readonly app: INestApplication;
  readonly dataSource: DataSource;
  readonly queries: QueryCounter;
  /** A supertest client of the app. */
  http(): ReturnType<typeof request>;
  /** A supertest agent of the app: it keeps cookies from one request to the next, as a browser does. */
  agent(): ReturnType<typeof request.agent>;
}

const read = async <T>(value: Deferred<T>): Promise<T> => (typeof value === 'function' ? (value as () => T | Promise<T>)() : value);

/**
 * Registers `beforeAll`/`afterAll` for a Clerk test kit (and its fake Backend API unless `fakeApi: false`)
 * in the calling describe block.
 */
export function useClerkTestKit(options: Deferred<ClerkTestKitSuiteOptions> = {}): ClerkKitHarness {
  let kit: ClerkTestKit | undefined;
  let api: FakeClerkApi | undefined;
  const apps: TestApp[] = [];
  const started = (): ClerkTestKit => {
    if (!kit) throw new Error('useClerkTestKit: the kit exists from beforeAll until afterAll; read it in a hook or a test');
    return kit;
  };

  beforeAll(async () => {
    const { kit: kitOptions, fakeApi = true } = await read(options);
    kit = await ClerkTestKit.create(kitOptions);
    if (fakeApi) api = await kit.startFakeApi();
  });
  afterAll(async () => {
    try {
      for (const app of apps.splice(0)) await app.close();
    } finally {
      await kit?.close();
      kit = api = undefined;
    }
  });

  return {
    get kit() {
      return started();
    },
    get api() {
      started();
      if (!api) throw new Error('useClerkTestKit: this suite runs without the fake Backend API (fakeApi: false)');
      return api;
    },
    async startApp(appOptions: KitAppOptions = {}) {
      const app = await createTestApp({ ...appOptions, clerk: started().moduleOptions(appOptions.clerk) });
      apps.push(app);
      const close = async () => {
        if (apps.includes(app)) await apps.splice(apps.indexOf(app), 1)[0].close();
      };
      return { ...app, close };
    },
  };
}

/**
 * Registers `beforeAll`/`afterAll` for a Clerk test kit, its fake Backend API (unless `fakeApi: false`) and
 * one app with `ClerkUsersModule` on a fresh database, in the calling describe block. Hooks declared after
 * the call run once the app is up, and their `afterAll` once it is closed.
 */
export function useClerkTestApp(options: Deferred<ClerkTestAppOptions> = {}): ClerkAppHarness {
  let settings: Promise<ClerkTestAppOptions> | undefined;
  const settled = () => (settings ??= read(options));
  const suite = useClerkTestKit(() => settled());
  let harness: TestApp | undefined;
  const started = (): TestApp => {
    if (!harness) throw new Error('useClerkTestApp: the app exists from beforeAll until afterAll; read it in a hook or a test');
    return harness;
  };

  beforeAll(async () => {
    const { kit: _kit, fakeApi: _fakeApi, ...appOptions } = await settled();
    harness = await suite.startApp(appOptions);
  });
  afterAll(() => {
    harness = settings = undefined;
  });

  return {
    get kit() {
      return suite.kit;
    },
    get api() {
      return suite.api;
    },
    startApp: (appOptions) => suite.startApp(appOptions),
    get app() {
      return started().app;
    },
    get dataSource() {
      return started().dataSource;
    },
    get queries() {
      return started().queries;
    },
    http: () => request(started().app.getHttpServer()),
    agent: () => request.agent(started().app.getHttpServer()),
  };
}
