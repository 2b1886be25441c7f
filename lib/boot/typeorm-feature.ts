import type { DynamicModule, FactoryProvider, Provider } from '@nestjs/common';
import { getDataSourceToken, getEntityManagerToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { assertEntitiesRegistered, requireDataSource, type ClerkEntityGroup } from './typeorm-checks.js';

/**
 * `TypeOrmModule.forFeature(entities)` (same repository tokens, same `autoLoadEntities`
 * registration) whose repositories fail with the library's own words when there is no TypeORM
 * DataSource or it lacks the entities, instead of Nest's "can't resolve dependencies".
 */
export function clerkTypeOrmFeature(group: ClerkEntityGroup): DynamicModule {
  const feature = TypeOrmModule.forFeature([...group.entities]);
  const providers: Provider[] = (feature.providers ?? []).map((provider) => {
    const repository = provider as FactoryProvider;
    return {
      ...repository,
      inject: [{ token: getDataSourceToken(), optional: true }],
      useFactory: (dataSource?: DataSource) => {
        const checked = requireDataSource(dataSource);
        assertEntitiesRegistered(checked, group);
        return repository.useFactory(checked);
      },
    };
  });
  return { ...feature, providers, exports: providers };
}

/**
 * The default DataSource for this module's own providers (the webhook processor injects it), reached
 * through TypeORM's EntityManager token so a missing `TypeOrmModule.forRoot()` gets the library's
 * message rather than Nest's. Not exported: the app's own injections still get TypeORM's provider.
 */
export const checkedDataSourceProvider: FactoryProvider<DataSource> = {
  provide: DataSource,
  useFactory: (manager?: EntityManager) => requireDataSource(manager?.connection),
  inject: [{ token: getEntityManagerToken(), optional: true }],
};
