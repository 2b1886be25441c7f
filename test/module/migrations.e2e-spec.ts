import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ClerkUser, clerkOrganizationEntities, clerkOrganizationMigrations, clerkUsersEntities, clerkUsersMigrations } from '../../lib/index.js';
import { migratedDataSource, pendingSchemaChanges } from '../support/migrated-data-source.js';

describe('shipped migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedDataSource([...clerkUsersEntities, ...clerkOrganizationEntities], [...clerkUsersMigrations, ...clerkOrganizationMigrations]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('build exactly the schema of the default entities (migration:generate would find nothing)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });

  it('enforce case-insensitive email uniqueness in the database itself', async () => {
    await expect(dataSource.query(`INSERT INTO clerk_users (email) VALUES ('Mixed@Example.com')`)).rejects.toThrow(/CHK_clerk_users_email_lower/);
    await dataSource.query(`INSERT INTO clerk_users (email) VALUES ('one@example.com')`);
    const users = dataSource.getRepository(ClerkUser);
    // The entity lower-cases before writing, so a differently-cased duplicate hits the unique index.
    await expect(users.save(users.create({ email: 'ONE@example.com' }))).rejects.toThrow(/duplicate key/);
  });

  it('revert cleanly', async () => {
    for (let i = 0; i < clerkUsersMigrations.length + clerkOrganizationMigrations.length; i++) await dataSource.undoLastMigration();
    expect(await dataSource.query(`SELECT to_regclass('clerk_users') AS u, to_regclass('clerk_webhook_events') AS e`)).toEqual([{ u: null, e: null }]);
  });
});
