import type { ClerkUserUpsertSql, UpsertedUserRow } from '../users/clerk-user-upsert.sql.js';
import type { WebhookEventSql } from './webhook-event-claim.sql.js';

/** One `user.created` / `user.updated` delivery for `userEventsStatement`. */
export interface UserEventRow {
  svixId: string;
  type: string;
  /** `clerkUserIdOfEvent` of the event, recorded on its event row. */
  clerkUserId: string | null;
  user: UpsertedUserRow;
}

/** What `userEventsStatement` says about one delivery. */
export interface UserEventRowResult {
  svix_id: string;
  /** Another row holds the email or username: nothing was claimed or written (the linking rules decide). */
  careful: boolean;
  /** This delivery claimed the event (else: a duplicate). */
  claimed: boolean;
  /** The user row was inserted or changed. */
  written: boolean;
}

/**
 * `user.created` / `user.updated` deliveries as one statement, atomic without BEGIN/COMMIT (`$1`:
 * `userEventsPayload`; each svix id and each Clerk id at most once). Each delivery is claimed
 * unless another row holds its user's email or username (`careful`: then nothing of it is claimed
 * or written); each claimed one upserts its row under the ordering guard, never touching a deleted
 * Clerk id. A row that appears meanwhile with such an email makes the whole statement fail on the
 * unique index: then nothing of it is left. Built once per user entity and DataSource (`events`: its
 * webhook event table), never per delivery.
 */
export function userEventsStatement(sql: ClerkUserUpsertSql, events: WebhookEventSql): string {
  return `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(svix_id varchar, event_type varchar, event_user_id varchar, ${sql.recordType})),
     gate AS (SELECT x.svix_id, ${sql.heldByAnotherRow('x')} AS careful FROM x),
     claim AS (${events.claim('SELECT gate.svix_id, x.event_type AS type, x.event_user_id AS clerk_user_id FROM gate JOIN x USING (svix_id) WHERE NOT gate.careful')}),
     written AS (${sql.upsert('x', 'x.svix_id IN (SELECT svix_id FROM claim)')} RETURNING u.${sql.column('clerkId')} AS clerk_id)
     SELECT x.svix_id, gate.careful, claim.svix_id IS NOT NULL AS claimed, written.clerk_id IS NOT NULL AS written
     FROM x JOIN gate USING (svix_id) LEFT JOIN claim USING (svix_id) LEFT JOIN written ON written.clerk_id = x.${sql.column('clerkId')}`;
}

/** The `$1` of `userEventsStatement`. */
export function userEventsPayload(sql: ClerkUserUpsertSql, rows: readonly UserEventRow[]): string {
  return JSON.stringify(rows.map((row) => ({ svix_id: row.svixId, event_type: row.type, event_user_id: row.clerkUserId, ...sql.record(row.user) })));
}
