import { DataSource, type DataSourceOptions } from 'typeorm';

/** A fresh schema on the test database built by `migrations` only, for checking them against `entities`. */
export async function migratedDataSource(entities: DataSourceOptions['entities'], migrations: DataSourceOptions['migrations']): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL, uuidExtension: 'pgcrypto', dropSchema: true, entities, migrations, poolSize: 1 });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

/** What `migration:generate` would write for this data source: empty when the migrations match the entities. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
}
