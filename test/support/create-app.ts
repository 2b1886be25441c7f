import type { INestApplication, LoggerService, ModuleMetadata, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClerkUsersModule, type ClerkUsersForRootOptions, type ClerkUsersModuleOptions, type ClerkUserEntityClass } from '../../lib/index.js';
import { testDatabaseOptions, type TestDatabaseOptions } from './database.js';
import { QueryCounter } from './query-counter.js';
import { ProbeController, AdminAreaController } from './test.controllers.js';

export interface TestAppOptions {
  clerk: ClerkUsersForRootOptions;
  userEntity?: ClerkUserEntityClass;
  database?: TestDatabaseOptions;
  controllers?: Type[];
  providers?: ModuleMetadata['providers'];
  imports?: ModuleMetadata['imports'];
  /** Keep the raw request bytes (needed by the webhook endpoint). Default true. */
  rawBody?: boolean;
  /** HTTP platform. Default express. */
  platform?: TestPlatform;
  webhookPath?: string | false;
  /** Static `localAuth` (the module's extra). */
  localAuth?: ClerkUsersForRootOptions['localAuth'];
  /** Runs on the application before `init()` (middleware such as express-session, Fastify plugins). */
  configure?: (app: INestApplication) => Promise<void> | void;
  /** Options of the FastifyAdapter (e.g. `trustProxy`). */
  fastify?: ConstructorParameters<typeof FastifyAdapter>[0];
  /** Receives the app's log lines (instead of TEST_LOG / silence). */
  logger?: LoggerService;
}

export type TestPlatform = 'express' | 'fastify';

/** Both HTTP platforms, for `describe.each(PLATFORMS)`. */
export const PLATFORMS: TestPlatform[] = ['express', 'fastify'];

export interface TestApp {
  app: INestApplication;
  queries: QueryCounter;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A real Nest application over HTTP with ClerkUsersModule and a fresh test database. */
export async function createTestApp(options: TestAppOptions): Promise<TestApp> {
  const queries = options.database?.counter ?? new QueryCounter();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot(testDatabaseOptions({ ...options.database, counter: queries })),
      ClerkUsersModule.forRoot({ ...options.clerk, userEntity: options.userEntity, webhookPath: options.webhookPath, localAuth: options.localAuth }),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [ProbeController, AdminAreaController],
    providers: options.providers ?? [],
  }).compile();
  // Quiet by default (several tests provoke errors on purpose); TEST_LOG=1 shows them.
  const appOptions = { logger: process.env.TEST_LOG ? (['error', 'warn', 'log', 'debug'] as const) : (false as const), rawBody: options.rawBody ?? true };
  const logger = options.logger ?? (appOptions.logger ? [...appOptions.logger] : (false as const));
  const app =
    options.platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(options.fastify), { ...appOptions, logger })
      : moduleRef.createNestApplication({ ...appOptions, logger });
  await options.configure?.(app);
  await app.init();
  if (options.platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  queries.reset(); // schema set-up is not what the tests count
  return { app, queries, dataSource: app.get(DataSource), close: () => app.close() };
}
