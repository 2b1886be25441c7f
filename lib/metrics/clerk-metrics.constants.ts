/** Name of the OpenTelemetry meter (instrumentation scope) every instrument of this library belongs to. */
export const CLERK_METER_NAME = 'nestjs-clerk-users';

/**
 * Instrument names. OpenTelemetry's semantic conventions name no instrument for any of these, so
 * they follow its naming rules (dotted lower-case namespaces, `clerk.` first, no `_total` suffix,
 * the unit in the instrument, not the name).
 */
export const CLERK_METRIC = {
  tokensVerified: 'clerk.auth.tokens.verified',
  refusals: 'clerk.auth.refusals',
  userCacheLookups: 'clerk.users.cache.lookups',
  usersProvisioned: 'clerk.users.provisioned',
  apiCalls: 'clerk.api.calls',
  apiCallDuration: 'clerk.api.call.duration',
  webhookEvents: 'clerk.webhooks.events',
  webhookLag: 'clerk.webhooks.lag',
  syncRecords: 'clerk.sync.records',
} as const;

/** Attribute keys; `http.response.status_code` and `error.type` are OpenTelemetry's own. */
export const CLERK_METRIC_ATTRIBUTE = {
  verification: 'clerk.token.verification',
  carrier: 'clerk.token.carrier',
  reason: 'clerk.refusal.reason',
  cacheResult: 'clerk.cache.result',
  provisioningSource: 'clerk.provisioning.source',
  operation: 'clerk.api.operation',
  httpStatus: 'http.response.status_code',
  errorType: 'error.type',
  eventType: 'clerk.webhook.event_type',
  outcome: 'clerk.webhook.outcome',
  syncKind: 'clerk.sync.kind',
} as const;
