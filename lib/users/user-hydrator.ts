import type { Repository } from 'typeorm';
import type { AbstractClerkUser } from './abstract-clerk-user.entity';

const DATE_TYPES = new Set<unknown>([Date, 'timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone', 'date']);

interface ColumnPlan {
  /** Columns as flat property names, when the entity has no embedded columns (the fast path). */
  flat: boolean;
  dateProperties: string[];
}

const plans = new WeakMap<object, ColumnPlan>();

function planOf<T extends AbstractClerkUser>(repository: Repository<T>): ColumnPlan {
  let plan = plans.get(repository.metadata);
  if (!plan) {
    const columns = repository.metadata.columns;
    plan = {
      flat: columns.every((column) => !column.embeddedMetadata),
      dateProperties: columns.filter((column) => DATE_TYPES.has(column.type)).map((column) => column.propertyPath),
    };
    plans.set(repository.metadata, plan);
  }
  return plan;
}

/** Column values of a row as plain JSON (what the user cache stores). */
export function dehydrateUser<T extends AbstractClerkUser>(repository: Repository<T>, user: T): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const column of repository.metadata.columns) plain[column.propertyPath] = column.getEntityValue(user);
  return plain;
}

/** Rebuilds an entity instance from cached JSON, turning date strings back into `Date`s. */
export function hydrateUser<T extends AbstractClerkUser>(repository: Repository<T>, plain: Record<string, unknown>): T {
  const plan = planOf(repository);
  if (plan.flat) {
    // Hot path of every warm request: the entity's own constructor and the values, no TypeORM machinery.
    const user = Object.assign(new (repository.target as new () => T)(), plain);
    const record = user as unknown as Record<string, unknown>;
    for (const property of plan.dateProperties) {
      const value = record[property];
      if (typeof value === 'string') record[property] = new Date(value);
    }
    return user;
  }
  const user = repository.create();
  for (const column of repository.metadata.columns) {
    let value = plain[column.propertyPath];
    if (typeof value === 'string' && DATE_TYPES.has(column.type)) value = new Date(value);
    column.setEntityValue(user, value);
  }
  return user;
}
