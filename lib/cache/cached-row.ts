import type { Repository } from 'typeorm';

const DATE_TYPES = new Set<unknown>([Date, 'timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone', 'date']);

interface ColumnPlan {
  /** Columns as flat property names, when the entity has no embedded columns (the fast path). */
  flat: boolean;
  dateProperties: ReadonlySet<string>;
}

const plans = new WeakMap<object, ColumnPlan>();

function planOf<T extends object>(repository: Repository<T>): ColumnPlan {
  let plan = plans.get(repository.metadata);
  if (!plan) {
    const columns = repository.metadata.columns;
    plan = {
      flat: columns.every((column) => !column.embeddedMetadata),
      dateProperties: new Set(columns.filter((column) => DATE_TYPES.has(column.type)).map((column) => column.propertyPath)),
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

/** A private copy of a JSON value (cached values may be frozen and shared). */
function copyJson(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const [key, nested] of Object.entries(value)) copy[key] = copyJson(nested);
  return copy;
}

function columnValue(value: unknown, isDate: boolean): unknown {
  if (typeof value === 'string' && isDate) return new Date(value);
  return typeof value === 'object' ? copyJson(value) : value;
}

/** Rebuilds an entity instance from cached JSON (never changing it), turning date strings back into `Date`s. */
export function fromCachedRow<T extends object>(repository: Repository<T>, plain: Readonly<Record<string, unknown>>): T {
  const plan = planOf(repository);
  if (plan.flat) {
    // Hot path of every warm request: the entity's own constructor and the values, no TypeORM machinery.
    const row = new (repository.target as new () => T)() as unknown as Record<string, unknown>;
    for (const property in plain) row[property] = columnValue(plain[property], plan.dateProperties.has(property));
    return row as unknown as T;
  }
  const row = repository.create();
  for (const column of repository.metadata.columns) {
    column.setEntityValue(row, columnValue(plain[column.propertyPath], DATE_TYPES.has(column.type)));
  }
  return row;
}
