import type { Repository } from 'typeorm';

const DATE_TYPES = new Set<unknown>([Date, 'timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone', 'date']);

interface ColumnPlan {
  /** Columns as flat property names, when the entity has no embedded columns (the fast path). */
  flat: boolean;
  columns: ReadonlyArray<{ property: string; isDate: boolean }>;
}

/** A cached row split by what each value needs on the way out, worked out once per (frozen) cached row. */
interface PreparedRow {
  values: ReadonlyArray<[string, unknown]>;
  /** Date columns as epoch milliseconds: a `new Date(ms)` per request instead of parsing a string. */
  dates: ReadonlyArray<[string, number]>;
  /** JSON objects (metadata): copied per request, as cached values are shared. */
  objects: ReadonlyArray<[string, unknown]>;
}

// Keyed by repository: `repository.metadata` looks the entity up in the data source on every access.
const plans = new WeakMap<object, ColumnPlan>();
// Values of the process-local cache are frozen and live until they expire: prepared once each.
const preparedRows = new WeakMap<object, PreparedRow>();

function planOf<T extends object>(repository: Repository<T>): ColumnPlan {
  let plan = plans.get(repository);
  if (!plan) {
    const columns = repository.metadata.columns;
    plan = {
      flat: columns.every((column) => !column.embeddedMetadata),
      columns: columns.map((column) => ({ property: column.propertyPath, isDate: DATE_TYPES.has(column.type) })),
    };
    plans.set(repository, plan);
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

function prepare(plan: ColumnPlan, plain: Readonly<Record<string, unknown>>): PreparedRow {
  const values: [string, unknown][] = [];
  const dates: [string, number][] = [];
  const objects: [string, unknown][] = [];
  for (const { property, isDate } of plan.columns) {
    if (!(property in plain)) continue;
    const value = plain[property];
    if (isDate && typeof value === 'string') dates.push([property, Date.parse(value)]);
    else if (value && typeof value === 'object') objects.push([property, value]);
    else values.push([property, value]);
  }
  return { values, dates, objects };
}

function preparedOf(plan: ColumnPlan, plain: Readonly<Record<string, unknown>>): PreparedRow {
  if (!Object.isFrozen(plain)) return prepare(plan, plain);
  let prepared = preparedRows.get(plain);
  if (!prepared) {
    prepared = prepare(plan, plain);
    preparedRows.set(plain, prepared);
  }
  return prepared;
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
    const { values, dates, objects } = preparedOf(plan, plain);
    for (const [property, value] of values) row[property] = value;
    for (const [property, epochMs] of dates) row[property] = new Date(epochMs);
    for (const [property, value] of objects) row[property] = copyJson(value);
    return row as unknown as T;
  }
  const row = repository.create();
  for (const column of repository.metadata.columns) {
    column.setEntityValue(row, columnValue(plain[column.propertyPath], DATE_TYPES.has(column.type)));
  }
  return row;
}
