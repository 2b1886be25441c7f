import type { DataSource } from 'typeorm';
import { entitySqlNames } from '../common/entity-sql-names.js';
import { ClerkWebhookEventRecord } from './clerk-webhook-event-record.entity.js';

/**
 * The statements on the webhook event table (`ClerkWebhookEventRecord`), with the table and column
 * names its DataSource gives it (naming strategy, schema).
 */
export interface WebhookEventSql {
  /**
   * Claims deliveries and marks them processed, returning the `svix_id` of each one claimed: a claim
   * only counts if the surrounding transaction (or the one statement it is part of) commits. A
   * concurrent claim of the same id waits on the row, then finds it processed and returns nothing (a
   * duplicate); a delivery that failed before (unprocessed row) is claimed again.
   * `source` is a query of `svix_id, type, clerk_user_id` rows (each id at most once; `clerk_user_id`:
   * `clerkUserIdOfEvent`, recorded when the row is inserted).
   */
  claim(source: string): string;
  /** `claim` of the one delivery `$1` (svix id), `$2` (event type), `$3` (Clerk user id or null). */
  readonly claimOne: string;
  /** Records a failed attempt of `$1` (svix id, type `$2`, error `$3`, Clerk user id or null `$4`) unless it was processed meanwhile. */
  readonly recordFailure: string;
  /** Sets the error `$2` of the processed delivery `$1` (an after-commit handler failed). */
  readonly recordAfterCommitError: string;
  /** Deletes processed rows older than `$1` seconds; the driver reports the count. */
  readonly prune: string;
}

const built = new WeakMap<DataSource, WebhookEventSql>();

/** The webhook event statements of `dataSource` (built once per DataSource). */
export function webhookEventSql(dataSource: DataSource): WebhookEventSql {
  let sql = built.get(dataSource);
  if (!sql) {
    sql = buildWebhookEventSql(dataSource);
    built.set(dataSource, sql);
  }
  return sql;
}

function buildWebhookEventSql(dataSource: DataSource): WebhookEventSql {
  const { table, column } = entitySqlNames(
    dataSource.getMetadata(ClerkWebhookEventRecord),
    ['svixId', 'type', 'processedAt', 'attempts', 'lastError', 'clerkUserId'] as const,
    'register ClerkWebhookEventRecord unchanged',
  );
  const [svixId, type, processedAt, attempts, lastError, clerkUserId] = [
    column('svixId'),
    column('type'),
    column('processedAt'),
    column('attempts'),
    column('lastError'),
    column('clerkUserId'),
  ];
  const claim = (source: string) =>
    `INSERT INTO ${table} AS e (${svixId}, ${type}, ${clerkUserId}, ${processedAt}, ${attempts}) SELECT c.svix_id, c.type, c.clerk_user_id, now(), 1 FROM (${source}) c ORDER BY c.svix_id
       ON CONFLICT (${svixId}) DO UPDATE SET ${processedAt} = now(), ${attempts} = e.${attempts} + 1, ${lastError} = NULL
       WHERE e.${processedAt} IS NULL
       RETURNING e.${svixId} AS svix_id`;
  return {
    claim,
    claimOne: claim('SELECT $1::varchar AS svix_id, $2::varchar AS type, $3::varchar AS clerk_user_id'),
    recordFailure: `INSERT INTO ${table} AS e (${svixId}, ${type}, ${attempts}, ${lastError}, ${clerkUserId}) VALUES ($1, $2, 1, $3, $4)
         ON CONFLICT (${svixId}) DO UPDATE SET ${attempts} = e.${attempts} + 1, ${lastError} = EXCLUDED.${lastError}
         WHERE e.${processedAt} IS NULL`,
    recordAfterCommitError: `UPDATE ${table} SET ${lastError} = $2 WHERE ${svixId} = $1`,
    prune: `DELETE FROM ${table} WHERE ${processedAt} IS NOT NULL AND ${processedAt} < now() - make_interval(secs => $1)`,
  };
}
