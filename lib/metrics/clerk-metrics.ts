import { metrics, ValueType, type Attributes, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';
import { CLERK_METRIC, CLERK_METRIC_ATTRIBUTE as A, CLERK_METER_NAME } from './clerk-metrics.constants.js';

/*
 * The library's only use of `@opentelemetry/api`: plain functions the rest of the library calls.
 * It never configures an SDK. Without one, the global meter provider is OpenTelemetry's no-op one
 * and each call below costs a provider lookup and a no-op method call. Every attribute value is
 * drawn from a closed set (a reason code, an event type, an operation name, a status code): never a
 * token, an email, an id or a secret (test/metrics/clerk-metrics.e2e-spec.ts checks it).
 */

/** Where a session token came from. */
export type ClerkTokenCarrier = 'header' | 'cookie';

interface Instruments {
  tokensVerified: Counter;
  refusals: Counter;
  userCacheLookups: Counter;
  usersProvisioned: Counter;
  apiCalls: Counter;
  apiCallDuration: Histogram;
  webhookEvents: Counter;
  webhookLag: Histogram;
  syncRecords: Counter;
}

let provider: MeterProvider | undefined;
let instruments: Instruments | undefined;

/** Instruments of the global meter provider as it is now: an SDK registered (or replaced) after the first call is picked up. */
function current(): Instruments {
  const now = metrics.getMeterProvider();
  if (now !== provider || !instruments) {
    provider = now;
    instruments = createInstruments(now);
  }
  return instruments;
}

function createInstruments(from: MeterProvider): Instruments {
  const meter = from.getMeter(CLERK_METER_NAME);
  const counter = (name: string, description: string, unit: string) => meter.createCounter(name, { description, unit, valueType: ValueType.INT });
  const seconds = (name: string, description: string) => meter.createHistogram(name, { description, unit: 's', valueType: ValueType.DOUBLE });
  return {
    tokensVerified: counter(CLERK_METRIC.tokensVerified, 'Session tokens accepted: cold (verified now) or warm (remembered in process)', '{token}'),
    refusals: counter(CLERK_METRIC.refusals, 'Requests refused with a 401, by reason', '{request}'),
    userCacheLookups: counter(CLERK_METRIC.userCacheLookups, 'User-row cache lookups of the request path, by result', '{lookup}'),
    usersProvisioned: counter(CLERK_METRIC.usersProvisioned, 'First-request provisionings of a local user row (from the Clerk record or the claims)', '{user}'),
    apiCalls: counter(CLERK_METRIC.apiCalls, 'Clerk Backend API calls, by operation and outcome', '{call}'),
    apiCallDuration: seconds(CLERK_METRIC.apiCallDuration, 'Duration of Clerk Backend API calls (until the answer or the deadline)'),
    webhookEvents: counter(CLERK_METRIC.webhookEvents, 'Clerk webhook deliveries, by event type and outcome', '{event}'),
    webhookLag: seconds(CLERK_METRIC.webhookLag, 'From the delivery\'s svix-timestamp to its commit'),
    syncRecords: counter(CLERK_METRIC.syncRecords, 'Records a sync command read from Clerk and handled', '{record}'),
  };
}

/**
 * The attribute sets of the two per-request counters, built once: a closed set of values, and an
 * object with computed keys per request was allocation and a dictionary-mode store on every request.
 */
const TOKEN_VERIFIED_ATTRIBUTES: Readonly<Record<'cold' | 'warm', Readonly<Record<ClerkTokenCarrier, Attributes>>>> = Object.freeze({
  cold: Object.freeze({ header: Object.freeze({ [A.verification]: 'cold', [A.carrier]: 'header' }), cookie: Object.freeze({ [A.verification]: 'cold', [A.carrier]: 'cookie' }) }),
  warm: Object.freeze({ header: Object.freeze({ [A.verification]: 'warm', [A.carrier]: 'header' }), cookie: Object.freeze({ [A.verification]: 'warm', [A.carrier]: 'cookie' }) }),
});
const CACHE_LOOKUP_ATTRIBUTES: Readonly<Record<'hit' | 'miss', Attributes>> = Object.freeze({
  hit: Object.freeze({ [A.cacheResult]: 'hit' }),
  miss: Object.freeze({ [A.cacheResult]: 'miss' }),
});

/** A session token accepted for a request. */
export function recordTokenVerified(verification: 'cold' | 'warm', carrier: ClerkTokenCarrier): void {
  current().tokensVerified.add(1, TOKEN_VERIFIED_ATTRIBUTES[verification][carrier]);
}

/** Only reason codes that look like one (`token-expired`, `user-inactive`): anything else is counted as `other`. */
const REASON_SHAPE = /^[a-z][a-z0-9-]{0,63}$/;
/** Carriers named by the library (`header`, `cookie`, `server session`). */
const CARRIER_SHAPE = /^[a-z][a-z ]{0,31}$/;

/** A 401 of the guard, with its reason code and the credential's carrier (when one was read). */
export function recordRefusal(reason: string, carrier?: string | null): void {
  const attributes: Attributes = { [A.reason]: REASON_SHAPE.test(reason) ? reason : 'other' };
  if (carrier && CARRIER_SHAPE.test(carrier)) attributes[A.carrier] = carrier;
  current().refusals.add(1, attributes);
}

/** A user-row lookup of the request path (`hit`: from the cache, `miss`: from the database or Clerk). */
export function recordUserCacheLookup(result: 'hit' | 'miss'): void {
  current().userCacheLookups.add(1, CACHE_LOOKUP_ATTRIBUTES[result]);
}

/** A local user row created on a first request, from the Clerk record (`api`) or from the session claims (`claims`). */
export function recordUserProvisioned(source: 'api' | 'claims'): void {
  current().usersProvisioned.add(1, { [A.provisioningSource]: source });
}

/** How a Backend API call ended: an HTTP status, or no answer (`timeout`, `network`). */
export interface ClerkApiCallOutcome {
  status?: number;
  errorType?: string;
}

/** One Backend API call (`users.getUser`, `jwks.getJwks`, …) with its outcome and duration. */
export function recordClerkApiCall(operation: string, outcome: ClerkApiCallOutcome, durationSeconds: number): void {
  const attributes: Attributes = { [A.operation]: operation };
  if (outcome.status !== undefined) attributes[A.httpStatus] = outcome.status;
  if (outcome.errorType !== undefined) attributes[A.errorType] = outcome.errorType;
  const instruments = current();
  instruments.apiCalls.add(1, attributes);
  instruments.apiCallDuration.record(durationSeconds, attributes);
}

/** Event types as Clerk names them (`user.updated`, `organizationMembership.created`); anything else is `other`. */
const EVENT_TYPE_SHAPE = /^[a-zA-Z]{1,48}\.[a-zA-Z_]{1,48}$/;

/**
 * A webhook delivery's outcome (`processed`, `duplicate`, `refused`, `failed`); for `processed`,
 * the lag from `svixTimestamp` (seconds since the epoch, as Svix sends it) to now, its commit.
 */
export function recordWebhookEvent(type: unknown, outcome: string, svixTimestamp?: unknown): void {
  const attributes: Attributes = { [A.eventType]: typeof type === 'string' && EVENT_TYPE_SHAPE.test(type) ? type : 'other', [A.outcome]: outcome };
  const instruments = current();
  instruments.webhookEvents.add(1, attributes);
  const sentAt = Number(Array.isArray(svixTimestamp) ? svixTimestamp[0] : svixTimestamp);
  if (outcome === 'processed' && Number.isFinite(sentAt) && sentAt > 0) instruments.webhookLag.record(Math.max(0, Date.now() / 1000 - sentAt), { [A.eventType]: attributes[A.eventType] });
}

/** `count` records of a sync run (`users` or `organizations`) read from Clerk and handled. */
export function recordSyncProgress(kind: 'users' | 'organizations', count: number): void {
  current().syncRecords.add(count, { [A.syncKind]: kind });
}
