import { DataSource, DefaultNamingStrategy } from 'typeorm';

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * A legacy database's naming, for testing that hand-written SQL follows the DataSource: `app_`
 * tables and `c_` snake_case columns (explicit column names included), but for the columns in `kept`.
 */
export class LegacyNamingStrategy extends DefaultNamingStrategy {
  constructor(private readonly kept: readonly string[] = []) {
    super();
  }

  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return `app_${userSpecifiedName ?? snake(targetName)}`;
  }

  override columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    const name = [...embeddedPrefixes, customName ?? propertyName].join('_');
    return this.kept.includes(name) ? name : `c_${snake(name)}`;
  }
}

/** Creates `schema` in the test database if it is missing. */
export async function createSchema(schema: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL, poolSize: 1 });
  await admin.initialize();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.destroy();
  }
}
