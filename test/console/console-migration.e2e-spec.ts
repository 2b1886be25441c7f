import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ClerkUser, ClerkWebhookEventRecord, clerkUsersMigrations } from '../../lib/index.js';
import { ClerkConsole1764000000017, ClerkConsoleAuditRecord, clerkConsoleMigrations } from '../../lib/console/index.js';
import { migratedDataSource, pendingSchemaChanges } from '../support/migrated-data-source.js';

describe('clerkConsoleMigrations', () => {
  let dataSource: DataSource;
  // The pool has one connection: inside a query runner, ask through it.
  const consoleIndexes = async (runner: Pick<DataSource, 'query'> = dataSource) =>
    (await runner.query(`SELECT tablename, indexname FROM pg_indexes WHERE indexname LIKE 'IDX_clerk_console_%' ORDER BY indexname`)) as Array<{ tablename: string; indexname: string }>;

  beforeAll(async () => {
    dataSource = await migratedDataSource([ClerkUser, ClerkWebhookEventRecord, ClerkConsoleAuditRecord], [...clerkUsersMigrations, ...clerkConsoleMigrations]);
  });
  afterAll(() => dataSource?.destroy());

  it('creates the audit table exactly as the entity describes it, and indexes TypeORM leaves alone: nothing for migration:generate to write', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('indexes the users and webhook tables for the keyset lists, the prefix search and the rare subsets', async () => {
    const indexes = await consoleIndexes();
    expect(indexes.filter((i) => i.tablename === 'clerk_users').map((i) => i.indexname)).toEqual([
      'IDX_clerk_console_users_inactive',
      'IDX_clerk_console_users_noclerk',
      'IDX_clerk_console_users_search_clerk_id',
      'IDX_clerk_console_users_search_email',
      'IDX_clerk_console_users_search_last_name',
      'IDX_clerk_console_users_search_name',
      'IDX_clerk_console_users_search_username',
      'IDX_clerk_console_users_sort',
      'IDX_clerk_console_users_staff',
      'IDX_clerk_console_users_superuser',
    ]);
    expect(indexes.filter((i) => i.tablename === 'clerk_webhook_events').map((i) => i.indexname)).toEqual(['IDX_clerk_console_webhooks_received', 'IDX_clerk_console_webhooks_sort']);
    expect(indexes.filter((i) => i.tablename === 'clerk_console_audit').map((i) => i.indexname)).toEqual(['IDX_clerk_console_audit_target']);
  });

  it('reverts cleanly', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await new ClerkConsole1764000000017().down(runner);
      expect(await consoleIndexes(runner)).toEqual([]);
      expect(await runner.hasTable('clerk_console_audit')).toBe(false);
      await new ClerkConsole1764000000017().up(runner);
    } finally {
      await runner.release();
    }
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });
});
