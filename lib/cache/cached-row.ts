import type { Repository } from 'typeorm';

const DATE_TYPES = new Set<unknown>([Date, 'timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone', 'date']);

interface ColumnPlan {
  /** Columns as flat property names, when the entity has no embedded columns (the fast path). */
  flat: boolean;
  dateProperties: string[];
}

const plans = new WeakMap<object, ColumnPlan>();

function planOf<T extends object>(repository: Repository<T>): ColumnPlan {
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

/** Column values of a row as plain JSON (what the user and organization caches store). */
export function toCachedRow<T extends object>(repository: Repository<T>, row: T): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const column of repository.metadata.columns) plain[column.propertyPath] = column.getEntityValue(row);
  return plain;
}

/** Rebuilds an entity instance from cached JSON, turning date strings back into `Date`s. */
export function fromCachedRow<T extends object>(repository: Repository<T>, plain: Record<string, unknown>): T {
  const plan = planOf(repository);
  if (plan.flat) {
    // Hot path of every warm request: the entity's own constructor and the values, no TypeORM machinery.
    const row = Object.assign(new (repository.target as new () => T)(), plain);
    const record = row as unknown as Record<string, unknown>;
    for (const property of plan.dateProperties) {
      const value = record[property];
      if (typeof value === 'string') record[property] = new Date(value);
    }
    return row;
  }
  const row = repository.create();
  for (const column of repository.metadata.columns) {
    let value = plain[column.propertyPath];
    if (typeof value === 'string' && DATE_TYPES.has(column.type)) value = new Date(value);
    column.setEntityValue(row, value);
  }
  return row;
}
