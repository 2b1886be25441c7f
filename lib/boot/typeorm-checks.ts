import type { DataSource } from 'typeorm';
import { ClerkUsersSetupError } from './clerk-setup.error.js';

/** An entity class. */
export type EntityClass = new () => object;

/** The entities a module registers, and the exported list that holds the default ones. */
export interface ClerkEntityGroup {
  entities: readonly EntityClass[];
  /** Export of the default entities (`clerkUsersEntities`), named in the fix when every entity is a default one. */
  listName: string;
  defaults: readonly EntityClass[];
}

/** The DataSource `TypeOrmModule.forRoot()`/`forRootAsync()` provides, or the error that names the missing import. */
export function requireDataSource(dataSource: DataSource | undefined | null): DataSource {
  if (dataSource) return dataSource;
  throw new ClerkUsersSetupError(
    'no TypeORM DataSource found: import TypeOrmModule.forRoot({ ... }) (or forRootAsync) in your application module next to ClerkUsersModule; ' +
      'the module keeps its users in a TypeORM table (PostgreSQL)',
  );
}

/**
 * Fails when the DataSource was built without some of `group`'s entities (`autoLoadEntities` off
 * and an `entities` list without them): TypeORM itself would only fail on the first query. A
 * DataSource that is not initialised yet (`manualInitialization`) has no entity list to check.
 */
export function assertEntitiesRegistered(dataSource: DataSource, group: ClerkEntityGroup): void {
  if (!dataSource.isInitialized) return;
  const missing = group.entities.filter((entity) => !dataSource.hasMetadata(entity));
  if (!missing.length) return;
  const names = missing.map((entity) => entity.name).join(', ');
  const allDefaults = missing.every((entity) => group.defaults.includes(entity));
  const list = allDefaults ? ` (e.g. entities: [...${group.listName}, ...yours])` : '';
  throw new ClerkUsersSetupError(
    `the TypeORM DataSource does not know the entit${missing.length > 1 ? 'ies' : 'y'} ${names}: add ${names} to its entities${list} or set autoLoadEntities: true in TypeOrmModule.forRoot()`,
  );
}
