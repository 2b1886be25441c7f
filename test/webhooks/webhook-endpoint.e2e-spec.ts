import { beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Controller, Injectable, Post } from '@nestjs/common';
import { Webhook } from 'svix';
import { ClerkWebhookEndpoint, ClerkWebhookHandlers, OnClerkEvent, VerifiedClerkWebhookEvent, type ClerkWebhookContext, type ClerkWebhookEvent } from '../../lib/index.js';
import { buildClerkUser, generateWebhookSecret } from '../../lib/testing/index.js';
import { useClerkTestApp, useClerkTestKit } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

/** An app's own handlers, recording what ran. */
@Injectable()
class RecordingHandlers {
  readonly seen: string[] = [];
  readonly afterCommitSeen: Array<{ id: string; rowVisible: boolean }> = [];
  failFor = new Set<string>();
  failAfterCommit = false;

  @OnClerkEvent(['user.created', 'user.updated'])
  onUser(event: ClerkWebhookEvent<'user.created'>, { svixId }: ClerkWebhookContext): void {
    this.seen.push(`${event.type}:${event.data.id}`);
    if (this.failFor.has(svixId)) throw new Error('handler failure injected by the test');
  }

  @OnClerkEvent('user.created', { afterCommit: true })
  async afterCommit(event: ClerkWebhookEvent<'user.created'>, { manager }: ClerkWebhookContext): Promise<void> {
    const rows = await manager.query(`SELECT 1 FROM clerk_users WHERE "clerkId" = $1`, [event.data.id]);
    this.afterCommitSeen.push({ id: event.data.id, rowVisible: rows.length === 1 });
    if (this.failAfterCommit) throw new Error('after-commit failure injected by the test');
  }

  @OnClerkEvent('*', { priority: 10 })
  everything(event: ClerkWebhookEvent): void {
    this.seen.push(`*:${event.type}`);
  }
}

/** An extra endpoint verified with its own secret (as the seed's clerk_webhook_required). */
@Controller('hooks')
class ActivationHookController {
  @ClerkWebhookEndpoint({ secretEnv: 'TEST_ACTIVATION_WEBHOOK_SECRET' })
  @Post('activation')
  activation(@VerifiedClerkWebhookEvent() event: ClerkWebhookEvent, @VerifiedClerkWebhookEvent('svixId') svixId: string) {
    return { type: event.type, svixId };
  }
}

describe.each(PLATFORMS)('POST /webhooks/clerk (%s)', (platform) => {
  const activationSecret = generateWebhookSecret();
  beforeAll(() => {
    process.env.TEST_ACTIVATION_WEBHOOK_SECRET = activationSecret;
  });
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined }, controllers: [ActivationHookController], providers: [RecordingHandlers] });
  let recorder: RecordingHandlers;

  beforeAll(() => {
    recorder = harness.app.get(RecordingHandlers);
  });
  beforeEach(() => {
    recorder.seen.length = 0;
    recorder.failFor.clear();
    recorder.failAfterCommit = false;
  });

  const row = async (clerkId: string) =>
    (await harness.dataSource.query(`SELECT "firstName", email, "isActive", "lastLogin", "lastLogout", "clerkDeletedAt" FROM clerk_users WHERE "clerkId" = $1`, [clerkId]))[0];
  const eventRow = async (svixId: string) =>
    (await harness.dataSource.query(`SELECT type, processed_at, attempts, last_error FROM clerk_webhook_events WHERE svix_id = $1`, [svixId]))[0];

  it('applies user.created from the payload and answers 200 {"ok":true}', async () => {
    const user = buildClerkUser({ firstName: 'Grace', email: 'grace@example.com' });
    const delivery = harness.kit.signWebhook('user.created', user);
    const response = await deliver(harness.app, delivery).expect(200);
    expect(response.body).toEqual({ ok: true });
    expect(await row(user.id)).toMatchObject({ firstName: 'Grace', email: 'grace@example.com', isActive: true });
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ type: 'user.created', attempts: 1, last_error: null, processed_at: expect.any(Date) });
    expect(recorder.seen).toEqual([`user.created:${user.id}`, '*:user.created']);
  });

  it('handles null names, no email addresses and banned users', async () => {
    const user = buildClerkUser({ email: null, firstName: null, lastName: null, banned: true });
    await deliver(harness.app, harness.kit.signWebhook('user.created', user)).expect(200);
    expect(await row(user.id)).toMatchObject({ firstName: '', email: null, isActive: false });
  });

  it('a second delivery of a processed svix-id runs nothing and answers 200', async () => {
    const delivery = harness.kit.signWebhook('user.created', buildClerkUser());
    await deliver(harness.app, delivery).expect(200);
    recorder.seen.length = 0;
    expect((await deliver(harness.app, delivery).expect(200)).body).toEqual({ ok: true });
    expect(recorder.seen).toEqual([]);
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ attempts: 1 });
  });

  it('a replay of the same svix-id 10 minutes later (re-signed, fake clock) runs nothing', async () => {
    const user = buildClerkUser({ firstName: 'Once' });
    const first = harness.kit.signWebhook('user.created', user);
    await deliver(harness.app, first).expect(200);
    recorder.seen.length = 0;
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      jest.setSystemTime(Date.now() + 10 * 60 * 1000);
      const replay = harness.kit.signWebhook('user.created', { ...user, first_name: 'Twice' }, { svixId: first.headers['svix-id'] });
      await deliver(harness.app, replay).expect(200);
    } finally {
      jest.useRealTimers();
    }
    expect(recorder.seen).toEqual([]);
    expect(await row(user.id)).toMatchObject({ firstName: 'Once' });
  });

  it('ten concurrent deliveries of one event run the handlers once', async () => {
    const delivery = harness.kit.signWebhook('user.created', buildClerkUser());
    const statuses = await Promise.all(Array.from({ length: 10 }, () => deliver(harness.app, delivery).then((r) => r.status)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(recorder.seen.filter((entry) => entry.startsWith('user.created'))).toHaveLength(1);
  });

  it('concurrent first events of one new user (different svix ids) all succeed: no unique-key race', async () => {
    const user = buildClerkUser({ firstName: 'v0', updatedAt: 1_000 });
    const deliveries = Array.from({ length: 8 }, (_, i) => harness.kit.signWebhook(i === 0 ? 'user.created' : 'user.updated', { ...user, first_name: `v${i}`, updated_at: 1_000 + i }));
    const statuses = await Promise.all(deliveries.map((delivery) => deliver(harness.app, delivery).then((r) => r.status)));
    expect(statuses).toEqual(Array(8).fill(200));
    expect(await row(user.id)).toMatchObject({ firstName: 'v7' });
  });

  it('an event type nobody handles is acknowledged with 200 and recorded', async () => {
    const delivery = harness.kit.signWebhook('waitlistEntry.created', { id: 'wle_1', object: 'waitlist_entry' });
    await deliver(harness.app, delivery).expect(200);
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date) });
  });

  describe('refusals', () => {
    const signRaw = (body: string, secret = harness.kit.webhookSecret, timestamp = new Date()) => {
      const id = `msg_raw_${Math.random().toString(36).slice(2)}`;
      return {
        headers: { 'svix-id': id, 'svix-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'svix-signature': new Webhook(secret).sign(id, timestamp, body), 'content-type': 'application/json' },
        body,
      };
    };

    it.each([
      ['missing svix headers', () => ({ headers: { 'content-type': 'application/json' } as never, body: harness.kit.signWebhook('user.created', buildClerkUser()).body })],
      ['a body that is not JSON', () => signRaw('not json at all')],
      ['an envelope without type', () => harness.kit.signWebhook('user.created', buildClerkUser(), { envelope: { type: undefined } })],
      ['data that is not an object', () => harness.kit.signWebhook('user.created', 'a string')],
      ['data that is an array', () => harness.kit.signWebhook('user.created', [buildClerkUser()])],
      ['an envelope that is an array', () => signRaw('[1,2,3]')],
    ])('%s → 400', async (_name, make) => {
      await deliver(harness.app, make()).expect(400);
    });

    it.each([
      ['a wrong secret', () => harness.kit.signWebhook('user.created', buildClerkUser(), { secret: generateWebhookSecret() })],
      ['a stale timestamp (6 minutes)', () => harness.kit.signWebhook('user.created', buildClerkUser(), { timestamp: new Date(Date.now() - 6 * 60 * 1000) })],
      ['a timestamp from the future', () => harness.kit.signWebhook('user.created', buildClerkUser(), { timestamp: new Date(Date.now() + 6 * 60 * 1000) })],
      ['a tampered body', () => {
        const delivery = harness.kit.signWebhook('user.created', buildClerkUser({ firstName: 'Real' }));
        return { ...delivery, body: delivery.body.replace('"Real"', '"Fake"') };
      }],
      ['a garbage signature', () => ({ ...harness.kit.signWebhook('user.created', buildClerkUser()), headers: { ...harness.kit.signWebhook('user.created', buildClerkUser()).headers, 'svix-signature': 'v1,AAAA' } })],
    ])('%s → 401 with a generic body, nothing written', async (_name, make) => {
      const delivery = make();
      const response = await deliver(harness.app, delivery).expect(401);
      expect(response.body).toEqual({ message: 'Unauthorized', statusCode: 401 });
      expect(await eventRow(delivery.headers['svix-id'])).toBeUndefined();
    });

    it.each([
      ['user.created without an id', 'user.created', { object: 'user', first_name: 'Nobody' }],
      ['user.deleted without an id', 'user.deleted', { object: 'user', deleted: true }],
      ['user.updated whose id is not a user id', 'user.updated', { object: 'user', id: 'org_notauser', first_name: 'Nobody' }],
    ])('a signed event whose data cannot be mapped (%s) → 400, nothing written, the failure recorded', async (_name, type, data) => {
      const delivery = harness.kit.signWebhook(type, data);
      expect((await deliver(harness.app, delivery).expect(400)).body).toMatchObject({ statusCode: 400 });
      expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: null, attempts: 1, last_error: expect.stringContaining('InvalidClerkPayloadError') });
      expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "firstName" = 'Nobody'`)).toEqual([{ n: 0 }]);
    });

    it('accepts a header carrying several v1 signatures when one matches', async () => {
      const delivery = harness.kit.signWebhook('user.created', buildClerkUser());
      const bad = new Webhook(generateWebhookSecret()).sign(delivery.headers['svix-id'], new Date(Number(delivery.headers['svix-timestamp']) * 1000), delivery.body);
      await deliver(harness.app, { ...delivery, headers: { ...delivery.headers, 'svix-signature': `${bad} ${delivery.headers['svix-signature']}` } }).expect(200);
    });
  });

  it('a failing handler rolls everything back (no trace of the built-in upsert), answers 500, and a retry succeeds', async () => {
    const user = buildClerkUser({ firstName: 'Atomic' });
    const delivery = harness.kit.signWebhook('user.created', user);
    recorder.failFor.add(delivery.headers['svix-id']);
    const failed = await deliver(harness.app, delivery).expect(500);
    expect(failed.body).toEqual({ message: 'Internal Server Error', statusCode: 500 });
    expect(await row(user.id)).toBeUndefined();
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: null, attempts: 1, last_error: expect.stringContaining('handler failure injected') });

    recorder.failFor.clear();
    await deliver(harness.app, delivery).expect(200);
    expect(await row(user.id)).toMatchObject({ firstName: 'Atomic' });
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), attempts: 2, last_error: null });
  });

  it('after-commit handlers see committed data; their failure is recorded and the event still counts as processed', async () => {
    recorder.failAfterCommit = true;
    const user = buildClerkUser();
    const delivery = harness.kit.signWebhook('user.created', user);
    await deliver(harness.app, delivery).expect(200);
    expect(recorder.afterCommitSeen.at(-1)).toEqual({ id: user.id, rowVisible: true });
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), last_error: expect.stringContaining('after-commit failure') });
    await deliver(harness.app, delivery).expect(200);
    expect(recorder.afterCommitSeen.filter((entry) => entry.id === user.id)).toHaveLength(1);
  });

  it('handlers registered without a decorator run too, after the built-in ones', async () => {
    const calls: string[] = [];
    harness.app.get(ClerkWebhookHandlers).register('organizationDomain.created', (event) => {
      calls.push(event.type);
    });
    await deliver(harness.app, harness.kit.signWebhook('organizationDomain.created', { id: 'orgdmn_1', object: 'organization_domain' })).expect(200);
    expect(calls).toEqual(['organizationDomain.created']);
  });

  describe('an app endpoint with its own secret (@ClerkWebhookEndpoint)', () => {
    it('verifies with that secret and hands the event to the handler', async () => {
      const delivery = harness.kit.signWebhook('user.created', buildClerkUser(), { secret: activationSecret });
      const response = await deliver(harness.app, delivery, '/hooks/activation').expect(201);
      expect(response.body).toEqual({ type: 'user.created', svixId: delivery.headers['svix-id'] });
    });
    it('refuses the module secret and unsigned requests', async () => {
      await deliver(harness.app, harness.kit.signWebhook('user.created', buildClerkUser()), '/hooks/activation').expect(401);
      await deliver(harness.app, { headers: { 'content-type': 'application/json' } as never, body: '{}' }, '/hooks/activation').expect(400);
    });
  });
});

describe.each(PLATFORMS)('webhook endpoint limits and set-up mistakes (%s)', (platform) => {
  const suite = useClerkTestKit({ fakeApi: false });

  it('answers 413 above webhookMaxBytes, and the default limit is 1 MiB', async () => {
    const harness = await suite.startApp({ clerk: { secretKey: undefined, webhookMaxBytes: 2048 }, platform });
    try {
      const big = suite.kit.signWebhook('user.created', buildClerkUser({ publicMetadata: { blob: 'x'.repeat(4096) } }));
      await deliver(harness.app, big).expect(413);
      await deliver(harness.app, suite.kit.signWebhook('user.created', buildClerkUser())).expect(200);
    } finally {
      await harness.close();
    }
    const defaults = await suite.startApp({ clerk: { secretKey: undefined }, platform });
    try {
      await deliver(defaults.app, suite.kit.signWebhook('user.created', buildClerkUser({ publicMetadata: { blob: 'x'.repeat(1_100_000) } }))).expect(413);
    } finally {
      await defaults.close();
    }
  });

  it('answers 500 (never verifying a re-serialised body) when the app lacks rawBody: true', async () => {
    const harness = await suite.startApp({ clerk: { secretKey: undefined }, rawBody: false, platform });
    try {
      const response = await deliver(harness.app, suite.kit.signWebhook('user.created', buildClerkUser())).expect(500);
      expect(response.body).toEqual({ message: 'Internal Server Error', statusCode: 500 });
      expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users`)).toEqual([{ n: 0 }]);
    } finally {
      await harness.close();
    }
  });

  it('webhookPath moves the endpoint; false mounts none', async () => {
    const moved = await suite.startApp({ clerk: { secretKey: undefined }, webhookPath: 'integrations/clerk/events', platform });
    try {
      await deliver(moved.app, suite.kit.signWebhook('user.created', buildClerkUser()), '/integrations/clerk/events').expect(200);
      await deliver(moved.app, suite.kit.signWebhook('user.created', buildClerkUser())).expect(404);
    } finally {
      await moved.close();
    }
    const none = await suite.startApp({ clerk: { secretKey: undefined }, webhookPath: false, platform });
    try {
      expect((await deliver(none.app, suite.kit.signWebhook('user.created', buildClerkUser()))).status).not.toBe(200);
    } finally {
      await none.close();
    }
  });
});
