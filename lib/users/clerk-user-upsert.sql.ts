import type { EntityMetadata } from 'typeorm';
import { entitySqlNames } from '../common/entity-sql-names.js';
import { generatedUsernameSql, usernamePolicyOf, type UsernamePolicy } from './username-generator.js';

/** The columns a Clerk user upsert writes (what `mapClerkUser` yields, minus `emailVerified`). */
export const UPSERTED_USER_COLUMNS = ['clerkId', 'email', 'username', 'firstName', 'lastName', 'imageUrl', 'publicMetadata', 'isActive', 'lastLogin', 'clerkUpdatedAt'] as const;

export type UpsertedUserColumn = (typeof UPSERTED_USER_COLUMNS)[number];

/** A row to upsert: the mapped values of one Clerk user. */
export type UpsertedUserRow = Record<UpsertedUserColumn, unknown>;

const RECORD_TYPES: Record<UpsertedUserColumn, string> = {
  clerkId: 'varchar',
  email: 'varchar',
  username: 'varchar',
  firstName: 'varchar',
  lastName: 'varchar',
  imageUrl: 'varchar',
  publicMetadata: 'jsonb',
  isActive: 'boolean',
  lastLogin: 'timestamptz',
  clerkUpdatedAt: 'timestamptz',
};

/** Clerk sending none of these never wipes the stored one: a local username, the last sign-in, the watermark. */
const KEPT_WHEN_ABSENT = new Set<UpsertedUserColumn>(['username', 'lastLogin', 'clerkUpdatedAt']);

/**
 * SQL of the set-based Clerk user upsert, for one user entity: the batched sync writes a page with
 * it and the webhook endpoint one event. Rows come in as JSON (`payload`) and go through
 * `jsonb_to_recordset`, so one statement text serves any number of rows.
 */
export interface ClerkUserUpsertSql {
  /** The quoted table. */
  readonly table: string;
  /** The quoted column of a property. */
  column(property: UpsertedUserColumn | 'clerkDeletedAt'): string;
  /** Column definitions of a row (`"clerkId" varchar, …`), for `jsonb_to_recordset(…) AS x(…)`. */
  readonly recordType: string;
  /** `jsonb_to_recordset(<param>::jsonb) AS <alias>(…)`: the rows of a `payload` as a relation. */
  recordset(param: string, alias?: string): string;
  /** A row as JSON-ready values keyed by column name (what `recordType` reads). */
  record(row: UpsertedUserRow): Record<string, unknown>;
  /** The JSON parameter for `recordset`. */
  payload(rows: readonly UpsertedUserRow[]): string;
  /**
   * `INSERT … SELECT … FROM <source> [WHERE <condition>] ON CONFLICT ("clerkId") DO UPDATE …`: a new
   * Clerk id is inserted; an existing row takes the values only if it is not deleted in Clerk, not
   * newer (`clerkUpdatedAt`) and something changed. `source` must expose the columns under their
   * database names, as `recordset` does, and hold a Clerk id at most once. Rows are written in
   * Clerk id order, so concurrent upserts lock rows in one order. `RETURNING` may follow.
   * With `autoGenerateUsername`, a new row Clerk sends no username for gets a generated one, and
   * later upserts without a username keep the stored name (never a new one).
   */
  upsert(source: string, condition?: string): string;
  /**
   * A condition true when another row (another Clerk id, or a local account) holds the email or the
   * username of a row of `alias`: those rows need the linking rules of `upsertFromClerkUser`.
   */
  heldByAnotherRow(alias: string): string;
  /**
   * Marks the Clerk id `param` deleted in one atomic statement: deactivates its row once, or inserts a
   * tombstone when there is none yet, so a creation racing with the deletion cannot slip in between.
   */
  markDeleted(param: string): string;
}

const cache = new WeakMap<EntityMetadata, { sql: ClerkUserUpsertSql; usernames: UsernamePolicy | null }>();

/**
 * The upsert SQL of `metadata`'s entity, with the table and column names its DataSource gives it
 * (naming strategy, schema) and its username policy (`autoGenerateUsername`). Built once per entity
 * metadata, so once per DataSource.
 */
export function clerkUserUpsertSql(metadata: EntityMetadata): ClerkUserUpsertSql {
  const usernames = usernamePolicyOf(metadata);
  let cached = cache.get(metadata);
  if (!cached || cached.usernames !== usernames) {
    cached = { sql: buildUpsertSql(metadata, usernames), usernames };
    cache.set(metadata, cached);
  }
  return cached.sql;
}

function buildUpsertSql(metadata: EntityMetadata, usernames: UsernamePolicy | null): ClerkUserUpsertSql {
  const names = entitySqlNames(metadata, [...UPSERTED_USER_COLUMNS, 'clerkDeletedAt'], 'user entities must extend AbstractClerkUser');
  const { table, column } = names;
  const columns = UPSERTED_USER_COLUMNS.map(column).join(', ');
  const recordType = UPSERTED_USER_COLUMNS.map((c) => `${column(c)} ${RECORD_TYPES[c]}`).join(', ');
  // The value a column takes on update: Clerk's, or the stored one where Clerk sends none.
  const kept = (c: UpsertedUserColumn) => (KEPT_WHEN_ABSENT.has(c) ? `COALESCE(EXCLUDED.${column(c)}, u.${column(c)})` : `EXCLUDED.${column(c)}`);
  const username = column('username');
  // With generation, a proposed name equal to the generated one means Clerk sent none: the stored name stays.
  const next = (c: UpsertedUserColumn) =>
    c === 'username' && usernames
      ? `CASE WHEN EXCLUDED.${username} = ${generatedUsernameSql(usernames, `EXCLUDED.${column('clerkId')}`)} THEN COALESCE(u.${username}, EXCLUDED.${username}) ELSE EXCLUDED.${username} END`
      : kept(c);
  const inserted = usernames
    ? UPSERTED_USER_COLUMNS.map((c) => (c === 'username' ? `COALESCE(${username}, ${generatedUsernameSql(usernames, column('clerkId'))})` : column(c))).join(', ')
    : columns;
  const updated = UPSERTED_USER_COLUMNS.filter((c) => c !== 'clerkId');
  const assignments = updated.map((c) => `${column(c)} = ${next(c)}`).join(', ');
  const touched = metadata.updateDateColumn ? `, ${metadata.dataSource.driver.escape(metadata.updateDateColumn.databaseName)} = now()` : '';
  const changed = `(${updated.map((c) => `u.${column(c)}`).join(', ')}) IS DISTINCT FROM (${updated.map(next).join(', ')})`;
  const watermark = column('clerkUpdatedAt');
  const guard = `u.${column('clerkDeletedAt')} IS NULL AND (u.${watermark} IS NULL OR EXCLUDED.${watermark} IS NULL OR u.${watermark} <= EXCLUDED.${watermark}) AND ${changed}`;
  const databaseNames = UPSERTED_USER_COLUMNS.map((c) => [c, names.databaseName(c)] as const);
  const deleted = column('clerkDeletedAt');

  const record = (row: UpsertedUserRow) => Object.fromEntries(databaseNames.map(([c, name]) => [name, row[c] ?? null]));

  return {
    table,
    column,
    recordType,
    recordset: (param, alias = 'x') => `jsonb_to_recordset(${param}::jsonb) AS ${alias}(${recordType})`,
    record,
    payload: (rows) => JSON.stringify(rows.map(record)),
    upsert: (source, condition) =>
      `INSERT INTO ${table} AS u (${columns}) SELECT ${inserted} FROM ${source}${condition ? ` WHERE ${condition}` : ''} ORDER BY ${column('clerkId')}
       ON CONFLICT (${column('clerkId')}) DO UPDATE SET ${assignments}${touched} WHERE ${guard}`,
    heldByAnotherRow: (alias) =>
      `EXISTS (SELECT 1 FROM ${table} h WHERE (h.${column('email')} = ${alias}.${column('email')} OR h.${column('username')} = ${alias}.${column('username')}) AND h.${column('clerkId')} IS DISTINCT FROM ${alias}.${column('clerkId')})`,
    markDeleted: (param) =>
      `INSERT INTO ${table} AS u (${column('clerkId')}, ${column('isActive')}, ${deleted}) VALUES (${param}::varchar, false, now())
       ON CONFLICT (${column('clerkId')}) DO UPDATE SET ${column('isActive')} = false, ${deleted} = now()${touched} WHERE u.${deleted} IS NULL`,
  };
}
