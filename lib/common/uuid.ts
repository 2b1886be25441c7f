const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in canonical form. Local ids are UUIDs: anything else names no row, and must not reach a `uuid` column, where PostgreSQL refuses it with a query error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
