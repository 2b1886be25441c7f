import type { EntityMetadata } from 'typeorm';

/**
 * An entity's table and column names as its DataSource has them (naming strategy, schema), quoted by
 * the DataSource's driver: what hand-written SQL must use instead of literal names.
 */
export interface EntitySqlNames<P extends string> {
  /** The quoted table, schema-qualified when the entity (or the DataSource) has a schema. */
  readonly table: string;
  /** The quoted column of a property. */
  column(property: P): string;
  /** The unquoted column name of a property (e.g. a key of a JSON record read with `jsonb_to_recordset`). */
  databaseName(property: P): string;
}

/** The names of `properties` of `metadata`'s entity; throws naming `requirement` when one is missing. */
export function entitySqlNames<P extends string>(metadata: EntityMetadata, properties: readonly P[], requirement: string): EntitySqlNames<P> {
  const escape = (name: string) => metadata.dataSource.driver.escape(name);
  const names = new Map<P, string>();
  for (const property of properties) {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column "${property}": ${requirement}`);
    names.set(property, column.databaseName);
  }
  const nameOf = (property: P): string => {
    const name = names.get(property);
    if (name === undefined) throw new Error(`${metadata.name}: column "${property}" was not looked up`);
    return name;
  };
  // Schema and table apart rather than `tablePath.split('.')`: a dot inside a name stays in it.
  const table = [metadata.schema, metadata.tableName].filter((part): part is string => !!part).map(escape).join('.');
  return { table, column: (property) => escape(nameOf(property)), databaseName: nameOf };
}
