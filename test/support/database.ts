import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { clerkOrganizationMigrations, clerkUsersMigrations } from '../../lib/index.js';
import { QueryCounter } from './query-counter.js';

export interface TestDatabaseOptions {
  /** Build the schema from entities instead of running the shipped migrations. */
  synchronize?: boolean;
  entities?: TypeOrmModuleOptions['entities'];
  autoLoadEntities?: boolean;
  counter?: QueryCounter;
}

/** A fresh schema on the test database for each application. */
export function testDatabaseOptions(options: TestDatabaseOptions = {}): TypeOrmModuleOptions {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through `npm test` (global setup provides one)');
  return {
    type: 'postgres',
    url,
    uuidExtension: 'pgcrypto',
    dropSchema: true,
    synchronize: options.synchronize ?? false,
    migrationsRun: !options.synchronize,
    migrations: options.synchronize ? [] : [...clerkUsersMigrations, ...clerkOrganizationMigrations],
    entities: options.entities,
    autoLoadEntities: options.autoLoadEntities ?? !options.entities,
    logging: ['query'],
    logger: options.counter ?? new QueryCounter(),
    // PGlite is one session underneath: interleaved transactions from several pooled clients corrupt
    // each other's portals, so the embedded database gets one connection (a real server gets five).
    poolSize: process.env.TEST_DATABASE_EMBEDDED ? 1 : 5,
  };
}
