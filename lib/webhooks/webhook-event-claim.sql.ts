/**
 * Claims deliveries and marks them processed, returning the `svix_id` of each one claimed: a claim
 * only counts if the surrounding transaction (or the one statement it is part of) commits. A
 * concurrent claim of the same id waits on the row, then finds it processed and returns nothing (a
 * duplicate); a delivery that failed before (unprocessed row) is claimed again.
 * `source` is a query of `svix_id, type` rows (each id at most once); by default the one delivery
 * `$1` (svix id), `$2` (event type).
 */
export function claimWebhookEventsSql(source = 'SELECT $1::varchar AS svix_id, $2::varchar AS type'): string {
  return `INSERT INTO clerk_webhook_events (svix_id, type, processed_at, attempts) SELECT c.svix_id, c.type, now(), 1 FROM (${source}) c ORDER BY c.svix_id
       ON CONFLICT (svix_id) DO UPDATE SET processed_at = now(), attempts = clerk_webhook_events.attempts + 1, last_error = NULL
       WHERE clerk_webhook_events.processed_at IS NULL
       RETURNING svix_id`;
}
