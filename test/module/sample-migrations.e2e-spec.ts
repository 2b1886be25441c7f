import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ClerkWebhookEventRecord, clerkOrganizationEntities } from '../../lib/index.js';
import { AppUser } from '../../sample-app/src/app-user.entity.js';
import { sampleMigrations } from '../../sample-app/src/migrations/index.js';
import { migratedDataSource, pendingSchemaChanges } from '../support/migrated-data-source.js';

/** The sample app builds its schema from its own migrations only: they must keep up with the library's entities. */
describe("the sample app's migrations", () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await migratedDataSource([AppUser, ClerkWebhookEventRecord, ...clerkOrganizationEntities], sampleMigrations);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('build exactly the schema of its entities (AppUser and the library tables it uses)', async () => {
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });
});
