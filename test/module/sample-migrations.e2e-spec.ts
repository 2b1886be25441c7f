import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ClerkWebhookEventRecord, clerkOrganizationEntities } from '../../lib';
import { AppUser } from '../../sample-app/src/app-user.entity';
import { sampleMigrations } from '../../sample-app/src/migrations';

/** The sample app builds its schema from its own migrations only: they must keep up with the library's entities. */
describe("the sample app's migrations", () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'postgres',
      url: process.env.TEST_DATABASE_URL,
      uuidExtension: 'pgcrypto',
      dropSchema: true,
      entities: [AppUser, ClerkWebhookEventRecord, ...clerkOrganizationEntities],
      migrations: sampleMigrations,
      poolSize: 1,
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('build exactly the schema of its entities (AppUser and the library tables it uses)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
