import type { INestApplication, ModuleMetadata, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClerkUsersModule, type ClerkUsersModuleOptions, type ClerkUserEntityClass } from '../../lib';
import { testDatabaseOptions, type TestDatabaseOptions } from './database';
import { QueryCounter } from './query-counter';
import { ProbeController, AdminAreaController } from './test.controllers';

export interface TestAppOptions {
  clerk: ClerkUsersModuleOptions;
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
      ClerkUsersModule.forRoot({ ...options.clerk, userEntity: options.userEntity, webhookPath: options.webhookPath }),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? [ProbeController, AdminAreaController],
    providers: options.providers ?? [],
  }).compile();
  // Quiet by default (several tests provoke errors on purpose); TEST_LOG=1 shows them.
  const appOptions = { logger: process.env.TEST_LOG ? (['error', 'warn', 'log', 'debug'] as const) : (false as const), rawBody: options.rawBody ?? true };
  const app =
    options.platform === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { ...appOptions, logger: appOptions.logger ? [...appOptions.logger] : false })
      : moduleRef.createNestApplication({ ...appOptions, logger: appOptions.logger ? [...appOptions.logger] : false });
  await app.init();
  if (options.platform === 'fastify') await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  queries.reset(); // schema set-up is not what the tests count
  return { app, queries, dataSource: app.get(DataSource), close: () => app.close() };
}
