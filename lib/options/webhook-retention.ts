/**
 * Processed webhook ids are kept at least this long. Svix retries a failed delivery for about 28 hours
 * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), so an id forgotten sooner lets a redelivery run its side
 * effects again: the seed's 45-second dedup window had exactly that bug.
 */
export const MIN_WEBHOOK_EVENT_RETENTION_HOURS = 72;

/** The retention in force: the configured hours, never below the floor. */
export function webhookEventRetentionHours(configured: number | undefined): number {
  return Math.max(configured ?? MIN_WEBHOOK_EVENT_RETENTION_HOURS, MIN_WEBHOOK_EVENT_RETENTION_HOURS);
}

/** Whether a configured retention is below the floor (and so replaced by it). */
export function isBelowRetentionFloor(configured: number | undefined): boolean {
  return configured !== undefined && configured < MIN_WEBHOOK_EVENT_RETENTION_HOURS;
}
