import { beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { OnClerkEvent, type ClerkWebhookContext } from '../../lib/index.js';
import { ClerkConsoleModule } from '../../lib/console/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { ConsoleAccounts, setUpConsole, type ConsoleUser } from './console-support.js';

/** An app handler that fails the deliveries the test names: their failed attempt is recorded. */
@Injectable()
class FailingSessionHandler {
  readonly failFor = new Set<string>();

  @OnClerkEvent('session.created')
  onSession(_event: unknown, { svixId }: ClerkWebhookContext): void {
    if (this.failFor.has(svixId)) throw new Error('session handler failure injected by the test');
  }
}

interface ShownEvent {
  svixId: string;
  type: string;
  receivedAt: string;
  processedAt: string | null;
  attempts: number;
  lastError: string | null;
}

describe.each(PLATFORMS)("staff console: a user's latest webhook events (%s)", (platform) => {
  const harness = useClerkTestApp({ platform, controllers: [ProbeController], providers: [FailingSessionHandler], imports: [ClerkConsoleModule.forRoot()] });
  let people: ConsoleAccounts;
  let admin: ConsoleUser;

  beforeAll(async () => {
    ({ people, admin } = await setUpConsole(harness, `evt${platform.slice(0, 2)}`));
  });

  const detail = async (id: string) => (await harness.http().get(`/clerk-console/api/users/${id}`).set('Authorization', admin.bearer()).expect(200)).body;
  /** Delivers a signed event; returns its svix id. */
  const send = async (type: string, data: unknown, status = 200) => {
    const delivery = harness.kit.signWebhook(type, data);
    await deliver(harness.app, delivery).expect(status);
    return delivery.headers['svix-id'];
  };
  const recordedUser = async (svixId: string) =>
    (await harness.dataSource.query(`SELECT clerk_user_id FROM clerk_webhook_events WHERE svix_id = $1`, [svixId]))[0]?.clerk_user_id as string | null | undefined;

  it("lists exactly that user's events (user, session, membership), newest first, without the payload", async () => {
    const subject = await people.clerkUser();
    const other = await people.clerkUser();
    const subjectJson = buildClerkUser({ id: subject.clerkId, email: subject.email, firstName: 'Renamed' });
    const organization = buildClerkOrganization();

    const updated = await send('user.updated', subjectJson);
    await send('user.updated', buildClerkUser({ id: other.clerkId, email: other.email, firstName: 'Other' }));
    const session = await send('session.created', { object: 'session', id: 'sess_evt_subject', user_id: subject.clerkId, status: 'active', created_at: Date.now() });
    await send('session.created', { object: 'session', id: 'sess_evt_other', user_id: other.clerkId, status: 'active', created_at: Date.now() });
    const organizationEvent = await send('organization.created', organization);
    const membership = await send('organizationMembership.created', buildClerkMembership({ organization, user: subjectJson }));

    const body = await detail(subject.row.id);
    const events: ShownEvent[] = body.webhookEvents;
    expect(events.map((event) => [event.svixId, event.type])).toEqual([
      [membership, 'organizationMembership.created'],
      [session, 'session.created'],
      [updated, 'user.updated'],
    ]);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(['attempts', 'lastError', 'processedAt', 'receivedAt', 'svixId', 'type']);
      expect(event).toMatchObject({ attempts: 1, lastError: null, processedAt: expect.any(String) });
    }
    const received = events.map((event) => new Date(event.receivedAt).getTime());
    expect(received).toEqual([...received].sort((a, b) => b - a));
    expect(JSON.stringify(body)).not.toContain('sess_evt_subject'); // no payload

    expect((await detail(other.row.id)).webhookEvents.map((event: ShownEvent) => event.type)).toEqual(['session.created', 'user.updated']);
    expect(await recordedUser(organizationEvent)).toBeNull(); // not about a user
  });

  it('shows a failed delivery with its error and attempts, and the last 10 only', async () => {
    const subject = await people.clerkUser();
    const failing = harness.app.get(FailingSessionHandler);
    const delivery = harness.kit.signWebhook('session.created', { object: 'session', id: 'sess_evt_failing', user_id: subject.clerkId, status: 'active' });
    failing.failFor.add(delivery.headers['svix-id']);
    await deliver(harness.app, delivery).expect(500);
    await deliver(harness.app, delivery).expect(500);
    let [shown] = (await detail(subject.row.id)).webhookEvents as ShownEvent[];
    expect(shown).toMatchObject({ svixId: delivery.headers['svix-id'], type: 'session.created', processedAt: null, attempts: 2 });
    expect(shown.lastError).toContain('session handler failure injected by the test');

    failing.failFor.clear();
    await deliver(harness.app, delivery).expect(200); // Svix's retry goes through
    [shown] = (await detail(subject.row.id)).webhookEvents as ShownEvent[];
    expect(shown).toMatchObject({ svixId: delivery.headers['svix-id'], processedAt: expect.any(String), attempts: 3, lastError: null });

    const later: string[] = [];
    for (let i = 0; i < 11; i++) later.push(await send('session.created', { object: 'session', id: `sess_evt_many_${i}`, user_id: subject.clerkId, status: 'active' }));
    expect((await detail(subject.row.id)).webhookEvents.map((event: ShownEvent) => event.svixId)).toEqual(later.slice(1).reverse());
  });

  it('reads them with one index-backed query; a user without a Clerk id has none and costs no query', async () => {
    const subject = await people.clerkUser();
    await send('session.created', { object: 'session', id: 'sess_evt_indexed', user_id: subject.clerkId, status: 'active' });
    harness.queries.reset();
    await detail(subject.row.id);
    const eventQueries = harness.queries.queries.filter((query) => query.includes('clerk_webhook_events'));
    expect(eventQueries).toHaveLength(1);
    const plan = await harness.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      return (await manager.query(`EXPLAIN ${eventQueries[0]}`, [subject.clerkId])) as Array<{ 'QUERY PLAN': string }>;
    });
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    expect(text).toContain('IDX_clerk_webhook_events_user');
    expect(text).not.toMatch(/Seq Scan/);

    const staff = await people.staffLogin(false);
    harness.queries.reset();
    expect((await detail(staff.id)).webhookEvents).toEqual([]);
    expect(harness.queries.queries.filter((query) => query.includes('clerk_webhook_events'))).toEqual([]);
  });

  it('records null for a payload whose user id is not a Clerk user id, and never answers 500 for it', async () => {
    const nested = await send('email.created', { object: 'email', id: 'ema_evt_1', user_id: { $ne: null }, status: 'queued' });
    expect(await recordedUser(nested)).toBeNull();
    const shaped = await send('sms.created', { object: 'sms_message', id: 'sms_evt_1', user_id: "user_abc'; DROP TABLE x; --", status: 'queued' });
    expect(await recordedUser(shaped)).toBeNull();
    const emailForUser = await send('email.created', { object: 'email', id: 'ema_evt_2', user_id: admin.clerkId, status: 'queued' });
    expect(await recordedUser(emailForUser)).toBe(admin.clerkId);
    // A user event whose id is a number: refused (400, which Svix does not retry), recorded with no user.
    const refused = await send('user.updated', { ...buildClerkUser(), id: 42 }, 400);
    expect(await harness.dataSource.query(`SELECT clerk_user_id, processed_at, last_error LIKE 'refused:%' AS refused FROM clerk_webhook_events WHERE svix_id = $1`, [refused])).toEqual([
      { clerk_user_id: null, processed_at: null, refused: true },
    ]);
  });
});
