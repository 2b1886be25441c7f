import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { metrics, type Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type HistogramMetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import request from 'supertest';
import { ClerkUsersSync } from '../../lib/index.js';
import { CLERK_METRIC, CLERK_METRIC_ATTRIBUTE as A } from '../../lib/metrics/clerk-metrics.constants.js';
import { recordRefusal, recordWebhookEvent } from '../../lib/metrics/clerk-metrics.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { createTestApp } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { useStallingClerk } from '../users/stalling-backend-api.js';

// The library's instruments read through OpenTelemetry's SDK with an in-memory reader, over HTTP
// against the real app: each test reads the counters before and after what it does.

/** A reader collected on demand (the SDK's own pull path). */
class InMemoryMetricReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

interface Point {
  metric: string;
  attributes: Attributes;
  value: number;
}

const reader = new InMemoryMetricReader();
const provider = new MeterProvider({ readers: [reader] });
/** Everything the test put in an attribute's way: tokens, emails, keys. No attribute may contain any of it. */
const secrets = new Set<string>();

/** Every data point collected now (a histogram's value is its count). */
async function points(): Promise<Point[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((scope) =>
    scope.metrics.flatMap((metric) =>
      (metric as SumMetricData | HistogramMetricData).dataPoints.map((point) => ({
        metric: metric.descriptor.name,
        attributes: point.attributes,
        value: typeof point.value === 'number' ? point.value : point.value.count,
      })),
    ),
  );
}

/** The sum of `metric` over the points whose attributes include `attributes`. */
async function total(metric: string, attributes: Attributes = {}): Promise<number> {
  return (await points())
    .filter((point) => point.metric === metric && Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((sum, point) => sum + point.value, 0);
}

/** How much each of `reads` grows while `run` runs. */
async function growth(reads: Record<string, [metric: string, attributes?: Attributes]>, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = Object.fromEntries(await Promise.all(Object.entries(reads).map(async ([name, [metric, attrs]]) => [name, await total(metric, attrs)])));
  await run();
  return Object.fromEntries(await Promise.all(Object.entries(reads).map(async ([name, [metric, attrs]]) => [name, (await total(metric, attrs)) - before[name]])));
}

beforeAll(() => {
  metrics.setGlobalMeterProvider(provider);
});
afterAll(async () => {
  metrics.disable();
  await provider.shutdown();
});

describe('metrics of the request path, the Backend API, webhooks and sync', () => {
  const harness = useClerkTestApp({ clerk: { apiTimeoutMs: 2000 } });
  beforeAll(() => {
    for (const value of [harness.kit.secretKey, harness.kit.webhookSecret, harness.kit.jwtKey, harness.kit.publishableKey]) secrets.add(value);
  });

  const user = (email: string) => {
    secrets.add(email);
    const created = harness.api.addUser({ email });
    secrets.add(created.id);
    return created;
  };
  const token = (userId: string, input: { expiresInSeconds?: number; sessionId?: string } = {}) => {
    const minted = harness.kit.mintSessionToken({ userId, ...input });
    secrets.add(minted);
    return minted;
  };
  const me = (credential: string, carrier: 'header' | 'cookie' = 'header') =>
    carrier === 'header' ? harness.http().get('/me').set('Authorization', `Bearer ${credential}`) : harness.http().get('/me').set('Cookie', `__session=${credential}`);

  it('tokens verified: cold then warm, by carrier; user cache miss with first-request provisioning, then hits', async () => {
    const alice = user('alice.metrics@example.com');
    const first = token(alice.id);
    const counted = await growth(
      {
        coldHeader: [CLERK_METRIC.tokensVerified, { [A.verification]: 'cold', [A.carrier]: 'header' }],
        warmHeader: [CLERK_METRIC.tokensVerified, { [A.verification]: 'warm', [A.carrier]: 'header' }],
        coldCookie: [CLERK_METRIC.tokensVerified, { [A.verification]: 'cold', [A.carrier]: 'cookie' }],
        miss: [CLERK_METRIC.userCacheLookups, { [A.cacheResult]: 'miss' }],
        hit: [CLERK_METRIC.userCacheLookups, { [A.cacheResult]: 'hit' }],
        provisioned: [CLERK_METRIC.usersProvisioned, { [A.provisioningSource]: 'api' }],
        getUser: [CLERK_METRIC.apiCalls, { [A.operation]: 'users.getUser' }],
        getUserTimed: [CLERK_METRIC.apiCallDuration, { [A.operation]: 'users.getUser' }],
      },
      async () => {
        await me(first).expect(200);
        await me(first).expect(200);
        await me(token(alice.id, { sessionId: 'sess_cookie' }), 'cookie').expect(200);
      },
    );
    expect(counted).toEqual({ coldHeader: 1, warmHeader: 1, coldCookie: 1, miss: 1, hit: 2, provisioned: 1, getUser: 1, getUserTimed: 1 });
    const getUser = (await points()).find((point) => point.metric === CLERK_METRIC.apiCalls && point.attributes[A.operation] === 'users.getUser');
    // A call that succeeded carries no error.type (OpenTelemetry's convention).
    expect(getUser?.attributes[A.errorType]).toBeUndefined();
  });

  it('refusals by reason and carrier', async () => {
    const bob = user('bob.metrics@example.com');
    const counted = await growth(
      {
        expiredHeader: [CLERK_METRIC.refusals, { [A.reason]: 'token-expired', [A.carrier]: 'header' }],
        expiredCookie: [CLERK_METRIC.refusals, { [A.reason]: 'token-expired', [A.carrier]: 'cookie' }],
        invalid: [CLERK_METRIC.refusals, { [A.reason]: 'token-invalid' }],
        noCredential: [CLERK_METRIC.refusals, { [A.reason]: 'no-credential' }],
      },
      async () => {
        await me(token(bob.id, { expiresInSeconds: -120 })).expect(401);
        await me(token(bob.id, { expiresInSeconds: -120, sessionId: 'sess_2' }), 'cookie').expect(401);
        await me('not-a-jwt').expect(401);
        await harness.http().get('/me').expect(401);
      },
    );
    expect(counted).toEqual({ expiredHeader: 1, expiredCookie: 1, invalid: 1, noCredential: 1 });
  });

  it('Backend API calls by status: a 404 and a 429 of users.getUser', async () => {
    const unknownToClerk = token('user_2notInClerk000000000000000');
    const carol = user('carol.metrics@example.com');
    const counted = await growth(
      {
        notFound: [CLERK_METRIC.apiCalls, { [A.operation]: 'users.getUser', [A.httpStatus]: 404, [A.errorType]: '404' }],
        throttled: [CLERK_METRIC.apiCalls, { [A.operation]: 'users.getUser', [A.httpStatus]: 429, [A.errorType]: '429' }],
      },
      async () => {
        await me(unknownToClerk).expect(401);
        harness.api.failNext({ status: 429, pathPrefix: '/v1/users' });
        await me(token(carol.id)).expect(503);
      },
    );
    expect(counted).toEqual({ notFound: 1, throttled: 1 });
  });

  it('webhook events by type and outcome, with the lag from svix-timestamp to commit', async () => {
    const dave = user('dave.metrics@example.com');
    const delivery = harness.kit.signWebhook('user.updated', { ...dave, first_name: 'Dave' });
    const counted = await growth(
      {
        processed: [CLERK_METRIC.webhookEvents, { [A.eventType]: 'user.updated', [A.outcome]: 'processed' }],
        duplicate: [CLERK_METRIC.webhookEvents, { [A.eventType]: 'user.updated', [A.outcome]: 'duplicate' }],
        lag: [CLERK_METRIC.webhookLag, { [A.eventType]: 'user.updated' }],
      },
      async () => {
        await deliver(harness.app, delivery).expect(200);
        await deliver(harness.app, delivery).expect(200);
      },
    );
    expect(counted).toEqual({ processed: 1, duplicate: 1, lag: 1 });
  });

  it('sync progress: every user the sync read from Clerk', async () => {
    for (let i = 0; i < 3; i++) user(`sync${i}.metrics@example.com`);
    const counted = await growth({ users: [CLERK_METRIC.syncRecords, { [A.syncKind]: 'users' }] }, () => harness.app.get(ClerkUsersSync).run({ all: true, limit: 2 }));
    expect(counted.users).toBe(harness.api.listUsers().length);
  });
});

describe('metrics of a Backend API call that times out', () => {
  const suite = useStallingClerk((kit, apiUrl) =>
    createTestApp({ clerk: kit.moduleOptions({ jwtKey: undefined, apiUrl, apiTimeoutMs: 300 }), controllers: [ProbeController], webhookPath: false }),
  );

  it('a JWKS fetch that outlives apiTimeoutMs is counted as jwks.getJwks with error.type timeout', async () => {
    const user = suite.api.addUser({ email: 'timeout.metrics@example.com' });
    secrets.add('timeout.metrics@example.com');
    const minted = suite.kit.mintSessionToken({ userId: user.id });
    secrets.add(minted);
    suite.clerk.stalled = true;
    const counted = await growth({ timeouts: [CLERK_METRIC.apiCalls, { [A.operation]: 'jwks.getJwks', [A.errorType]: 'timeout' }] }, () =>
      request(suite.harness.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${minted}`).expect(503),
    );
    expect(counted.timeouts).toBe(1);
  });
});

describe('no token, email or secret in any attribute', () => {
  it('in everything the suites above recorded', async () => {
    const recorded = await points();
    expect(recorded.length).toBeGreaterThan(10);
    expect(secrets.size).toBeGreaterThan(10);
    const leaks = recorded.flatMap((point) =>
      Object.entries(point.attributes)
        .filter(([, value]) => [...secrets].some((secret) => String(value).includes(secret) || (secret.includes(String(value)) && String(value).length > 8)))
        .map(([key, value]) => `${point.metric} ${key}=${String(value)}`),
    );
    expect(leaks).toEqual([]);
    // Nothing shaped like an email or a Clerk id either, whatever the test knew of.
    const values = recorded.flatMap((point) => Object.values(point.attributes).map(String));
    expect(values.filter((value) => /@|\b(user|sess|org|ins)_[A-Za-z0-9]/.test(value))).toEqual([]);
  });

  it('a reason or event type that is not a plain code is recorded as `other`', async () => {
    const smuggled = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2ln';
    recordRefusal(smuggled, 'header');
    recordWebhookEvent('someone@example.com', 'processed');
    const values = (await points()).flatMap((point) => Object.values(point.attributes).map(String));
    expect(values).not.toContain(smuggled);
    expect(values).not.toContain('someone@example.com');
    expect(await total(CLERK_METRIC.refusals, { [A.reason]: 'other' })).toBeGreaterThanOrEqual(1);
    expect(await total(CLERK_METRIC.webhookEvents, { [A.eventType]: 'other' })).toBeGreaterThanOrEqual(1);
  });
});
