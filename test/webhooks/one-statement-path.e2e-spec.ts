import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Column, Entity } from 'typeorm';
import { AbstractClerkUser, ClerkWebhookHandlers, OnClerkEvent, StaffAccountsService, type ClerkWebhookContext, type ClerkWebhookEvent } from '../../lib/index.js';
import { buildClerkUser, type SignedWebhook } from '../../lib/testing/index.js';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

// `user.created` / `user.updated` with only the built-in handler in the transaction take one
// atomic statement (claim + guarded upsert), group-committed with concurrent deliveries; everything
// that statement cannot decide goes the transactional path.

const TRANSACTION = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i;

/** The first processed event also prunes old event rows (then every 10 minutes): not part of what an event costs. */
async function warmUp(harness: ClerkAppHarness): Promise<void> {
  await deliver(harness.app, harness.kit.signWebhook('waitlistEntry.created', { id: 'wle_warm_up', object: 'waitlist_entry' })).expect(200);
}

/** What the tests need of a harness: the statements a delivery costs, rows. */
function probe(harness: ClerkAppHarness) {
  return {
    statementsOf: async (delivery: SignedWebhook, status = 200) => {
      harness.queries.reset();
      await deliver(harness.app, delivery).expect(status);
      return [...harness.queries.queries];
    },
    row: async (clerkId: string) =>
      (await harness.dataSource.query(`SELECT "firstName", email, username, "isActive", "clerkDeletedAt", "clerkUpdatedAt", "updatedAt" FROM clerk_users WHERE "clerkId" = $1`, [clerkId]))[0],
    eventRow: async (svixId: string) => (await harness.dataSource.query(`SELECT processed_at, attempts, last_error FROM clerk_webhook_events WHERE svix_id = $1`, [svixId]))[0],
  };
}

describe.each(PLATFORMS)('user events without an app handler: one statement each (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined } });
  const { statementsOf, row, eventRow } = probe(harness);
  const sendSigned = (type: string, data: unknown) => statementsOf(harness.kit.signWebhook(type, data));
  /** svix ids an after-commit handler saw: it runs once per processed event and keeps the one-statement path. */
  const applied: string[] = [];

  beforeAll(async () => {
    harness.app.get(ClerkWebhookHandlers).register(['user.created', 'user.updated'], (_event, { svixId }) => void applied.push(svixId), { afterCommit: true });
    await warmUp(harness);
  });

  it('user.created and user.updated cost one SQL statement each (no BEGIN/COMMIT); a duplicate one more, changing nothing', async () => {
    const user = buildClerkUser({ firstName: 'One', email: 'one@example.com', updatedAt: 1_000 });
    const created = harness.kit.signWebhook('user.created', user);
    const statements = await statementsOf(created);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/INSERT INTO "clerk_webhook_events"[\s\S]*INSERT INTO "clerk_users"/);
    expect(await row(user.id)).toMatchObject({ firstName: 'One', email: 'one@example.com', isActive: true, clerkUpdatedAt: new Date(1_000) });
    expect(await eventRow(created.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), attempts: 1, last_error: null });

    const updated = harness.kit.signWebhook('user.updated', { ...user, first_name: 'Two', updated_at: 2_000 });
    expect(await statementsOf(updated)).toHaveLength(1);
    const afterUpdate = await row(user.id);
    expect(afterUpdate).toMatchObject({ firstName: 'Two', clerkUpdatedAt: new Date(2_000) });

    const again = await statementsOf(updated);
    expect(again).toHaveLength(1);
    expect(again.some((sql) => TRANSACTION.test(sql))).toBe(false);
    expect(await row(user.id)).toEqual(afterUpdate);
    expect(await eventRow(updated.headers['svix-id'])).toMatchObject({ attempts: 1 });
  });

  it('an event that changes nothing writes nothing (updatedAt kept), a local username survives a Clerk user without one', async () => {
    const user = buildClerkUser({ username: 'keeper', updatedAt: 1_000 });
    await sendSigned('user.created', user);
    const before = await row(user.id);
    expect(await sendSigned('user.updated', { ...user })).toHaveLength(1);
    expect(await row(user.id)).toEqual(before);
    await sendSigned('user.updated', { ...user, username: null, first_name: 'Renamed', updated_at: 2_000 });
    expect(await row(user.id)).toMatchObject({ username: 'keeper', firstName: 'Renamed' });
  });

  it('ordering guard: an older user.updated after a newer one is acknowledged and skipped, in one statement', async () => {
    const v1 = buildClerkUser({ firstName: 'v1', updatedAt: 1_000 });
    await sendSigned('user.updated', { ...v1, first_name: 'v2', updated_at: 2_000 });
    expect(await sendSigned('user.created', v1)).toHaveLength(1);
    expect(await row(v1.id)).toMatchObject({ firstName: 'v2', clerkUpdatedAt: new Date(2_000) });
  });

  it('user.deleted is final: a later, newer user.updated on the one-statement path neither revives nor changes the row', async () => {
    const user = buildClerkUser({ firstName: 'Doomed', updatedAt: 5_000 });
    await sendSigned('user.created', user);
    await sendSigned('user.deleted', { object: 'user', id: user.id, deleted: true });
    const deleted = await row(user.id);
    expect(await sendSigned('user.updated', { ...user, first_name: 'Zombie', updated_at: 9_000 })).toHaveLength(1);
    expect(await row(user.id)).toEqual(deleted);
    expect(deleted).toMatchObject({ firstName: 'Doomed', isActive: false, clerkDeletedAt: expect.any(Date) });
  });

  it('a deletion that arrives first leaves a tombstone the one-statement creation cannot pass', async () => {
    const user = buildClerkUser({ firstName: 'Never' });
    await sendSigned('user.deleted', { object: 'user', id: user.id, deleted: true });
    expect(await sendSigned('user.created', user)).toHaveLength(1);
    expect(await row(user.id)).toMatchObject({ firstName: '', isActive: false, clerkDeletedAt: expect.any(Date) });
  });

  it('a deletion racing with the creation of a new user is never lost', async () => {
    const users = Array.from({ length: 10 }, (_, i) => buildClerkUser({ firstName: `Racer${i}` }));
    const deliveries = users.flatMap((user) => [harness.kit.signWebhook('user.created', user), harness.kit.signWebhook('user.deleted', { object: 'user', id: user.id, deleted: true })]);
    const statuses = await Promise.all(deliveries.map((delivery) => deliver(harness.app, delivery).then((r) => r.status)));
    expect(statuses).toEqual(Array(20).fill(200));
    const rows = await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "clerkId" = ANY($1) AND "clerkDeletedAt" IS NOT NULL AND NOT "isActive"`, [users.map((u) => u.id)]);
    expect(rows).toEqual([{ n: 10 }]);
  });

  it('the cached user is invalidated once the statement committed', async () => {
    const user = buildClerkUser({ firstName: 'Cached', lastName: 'Row', updatedAt: 1_000 });
    await sendSigned('user.created', user);
    const token = harness.kit.mintSessionToken({ userId: user.id });
    const me = () => harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await me()).body).toMatchObject({ fullName: 'Cached Row' });
    expect((await me()).body).toMatchObject({ fullName: 'Cached Row' }); // now from the cache
    await sendSigned('user.updated', { ...user, first_name: 'Fresh', updated_at: 2_000 });
    expect((await me()).body).toMatchObject({ fullName: 'Fresh Row' });
  });

  describe('an email or username held by another row: the transactional path and its linking rules', () => {
    it('never links a staff account: the Clerk user is stored without the email, the staff row untouched', async () => {
      const staff = await harness.app.get(StaffAccountsService).createStaffAccount({ email: 'boss@example.com', password: 'correct horse battery staple' });
      const user = buildClerkUser({ email: 'boss@example.com', emailVerified: true });
      const delivery = harness.kit.signWebhook('user.created', user);
      const statements = await statementsOf(delivery);
      expect(statements.some((sql) => TRANSACTION.test(sql))).toBe(true);
      expect(await row(user.id)).toMatchObject({ email: null });
      expect(await harness.dataSource.query(`SELECT "clerkId", email, "isStaff" FROM clerk_users WHERE id = $1`, [staff.id])).toEqual([{ clerkId: null, email: 'boss@example.com', isStaff: true }]);
      expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), attempts: 1 });
    });

    it('links a linkable local row (no Clerk id, no password, not staff) on a verified email', async () => {
      const [{ id }] = await harness.dataSource.query(`INSERT INTO clerk_users (email, "firstName") VALUES ('local@example.com', 'Local') RETURNING id`);
      const user = buildClerkUser({ email: 'Local@Example.com', emailVerified: true, firstName: 'Linked' });
      await sendSigned('user.created', user);
      expect(await harness.dataSource.query(`SELECT id, "clerkId", "firstName" FROM clerk_users WHERE email = 'local@example.com'`)).toEqual([{ id, clerkId: user.id, firstName: 'Linked' }]);
    });

    it('an unverified email does not link: the local account keeps it, the Clerk user goes without', async () => {
      await harness.dataSource.query(`INSERT INTO clerk_users (email) VALUES ('unverified@example.com')`);
      const user = buildClerkUser({ email: 'unverified@example.com', emailVerified: false });
      await sendSigned('user.created', user);
      expect(await row(user.id)).toMatchObject({ email: null });
      expect(await harness.dataSource.query(`SELECT "clerkId" FROM clerk_users WHERE email = 'unverified@example.com'`)).toEqual([{ clerkId: null }]);
    });

    it('another Clerk user holding the email or username gives it up (Clerk is the source of truth)', async () => {
      const first = buildClerkUser({ email: 'moved@example.com', username: 'moved' });
      await sendSigned('user.created', first);
      const second = buildClerkUser({ email: 'moved@example.com', username: 'moved' });
      const statements = await sendSigned('user.created', second);
      expect(statements.some((sql) => TRANSACTION.test(sql))).toBe(true);
      expect(await row(second.id)).toMatchObject({ email: 'moved@example.com', username: 'moved' });
      expect(await row(first.id)).toMatchObject({ email: null, username: null });
    });
  });

  it('concurrent first events of one new user (different svix ids) all succeed and the newest wins', async () => {
    const user = buildClerkUser({ firstName: 'v0', updatedAt: 1_000 });
    const deliveries = Array.from({ length: 8 }, (_, i) => harness.kit.signWebhook(i === 0 ? 'user.created' : 'user.updated', { ...user, first_name: `v${i}`, updated_at: 1_000 + i }));
    const statuses = await Promise.all(deliveries.map((delivery) => deliver(harness.app, delivery).then((r) => r.status)));
    expect(statuses).toEqual(Array(8).fill(200));
    expect(await row(user.id)).toMatchObject({ firstName: 'v7' });
    const events = await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_webhook_events WHERE svix_id = ANY($1) AND processed_at IS NOT NULL AND attempts = 1`, [deliveries.map((d) => d.headers['svix-id'])]);
    expect(events).toEqual([{ n: 8 }]);
  });

  it('ten concurrent deliveries of one svix id apply it once', async () => {
    const user = buildClerkUser({ firstName: 'Once' });
    const delivery = harness.kit.signWebhook('user.created', user);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => deliver(harness.app, delivery).then((r) => r.status)));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(applied.filter((svixId) => svixId === delivery.headers['svix-id'])).toHaveLength(1);
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), attempts: 1 });
    expect(await row(user.id)).toMatchObject({ firstName: 'Once' });
  });

  it('many deliveries at once (40 users, 10 of them delivered twice) are each applied exactly once', async () => {
    const users = Array.from({ length: 40 }, (_, i) => buildClerkUser({ firstName: `Batch${i}` }));
    const deliveries = users.map((user) => harness.kit.signWebhook('user.created', user));
    const statuses = await Promise.all([...deliveries, ...deliveries.slice(0, 10)].map((delivery) => deliver(harness.app, delivery).then((r) => r.status)));
    expect(statuses).toEqual(Array(50).fill(200));
    const rows = await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "clerkId" = ANY($1)`, [users.map((u) => u.id)]);
    expect(rows).toEqual([{ n: 40 }]);
    const events = await harness.dataSource.query(`SELECT count(*)::int AS n, sum(attempts)::int AS attempts FROM clerk_webhook_events WHERE svix_id = ANY($1)`, [deliveries.map((d) => d.headers['svix-id'])]);
    expect(events).toEqual([{ n: 40, attempts: 40 }]);
    expect(new Set(applied).size).toBe(applied.length);
  });
});

/** An app's handlers: one in the transaction for user.updated, one after commit for user.created. */
@Injectable()
class AppUserHandlers {
  failNext = false;
  /** Next call violates a unique key once, as a concurrent first insert of the same row would. */
  collideNext = false;
  readonly inTransaction: Array<{ firstName: string | undefined; transactional: boolean }> = [];
  readonly afterCommit: Array<{ id: string; rowVisible: boolean }> = [];

  @OnClerkEvent('user.updated')
  async onUpdated(event: ClerkWebhookEvent<'user.updated'>, { manager }: ClerkWebhookContext): Promise<void> {
    const rows: Array<{ firstName: string }> = await manager.query(`SELECT "firstName" FROM clerk_users WHERE "clerkId" = $1`, [event.data.id]);
    this.inTransaction.push({ firstName: rows[0]?.firstName, transactional: manager.queryRunner?.isTransactionActive ?? false });
    if (this.failNext) {
      this.failNext = false;
      throw new Error('app handler failure');
    }
    if (this.collideNext) {
      this.collideNext = false;
      await manager.query(`INSERT INTO clerk_webhook_events (svix_id, type) VALUES ('msg_taken', 'test')`);
    }
  }

  @OnClerkEvent('user.created', { afterCommit: true })
  async onCreated(event: ClerkWebhookEvent<'user.created'>, { manager }: ClerkWebhookContext): Promise<void> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM clerk_users WHERE "clerkId" = $1`, [event.data.id]);
    this.afterCommit.push({ id: event.data.id, rowVisible: rows.length === 1 });
  }
}

describe.each(PLATFORMS)('user events with app handlers (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined }, providers: [AppUserHandlers] });
  let handlers: AppUserHandlers;
  const { statementsOf, row, eventRow } = probe(harness);

  beforeAll(async () => {
    handlers = harness.app.get(AppUserHandlers);
    await warmUp(harness);
  });
  beforeEach(() => {
    handlers.inTransaction.length = 0;
    handlers.afterCommit.length = 0;
  });

  it('an after-commit handler keeps the one-statement path and sees the committed row', async () => {
    const user = buildClerkUser();
    const statements = await statementsOf(harness.kit.signWebhook('user.created', user));
    expect(statements.some((sql) => TRANSACTION.test(sql))).toBe(false);
    expect(statements).toHaveLength(2); // the event's statement, then the handler's SELECT
    expect(handlers.afterCommit).toEqual([{ id: user.id, rowVisible: true }]);
  });

  it('an in-transaction handler runs inside the event transaction after the built-in upsert; its failure rolls everything back', async () => {
    const user = buildClerkUser({ firstName: 'Atomic', updatedAt: 1_000 });
    const delivery = harness.kit.signWebhook('user.updated', user);
    handlers.failNext = true;
    const failed = await statementsOf(delivery, 500);
    expect(failed.some((sql) => TRANSACTION.test(sql))).toBe(true);
    expect(handlers.inTransaction).toEqual([{ firstName: 'Atomic', transactional: true }]);
    expect(await row(user.id)).toBeUndefined();
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: null, attempts: 1, last_error: expect.stringContaining('app handler failure') });

    await statementsOf(delivery);
    expect(await row(user.id)).toMatchObject({ firstName: 'Atomic' });
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), attempts: 2, last_error: null });
  });

  it('a unique violation (a concurrent writer inserted the same row first) re-runs the transaction once, from scratch', async () => {
    await harness.dataSource.query(`INSERT INTO clerk_webhook_events (svix_id, type) VALUES ('msg_taken', 'test')`);
    const user = buildClerkUser({ firstName: 'Retried' });
    const delivery = harness.kit.signWebhook('user.updated', user);
    handlers.collideNext = true;
    await statementsOf(delivery);
    expect(handlers.inTransaction).toEqual([
      { firstName: 'Retried', transactional: true },
      { firstName: 'Retried', transactional: true },
    ]);
    expect(await row(user.id)).toMatchObject({ firstName: 'Retried' });
    expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: expect.any(Date), attempts: 1, last_error: null });
  });

  it("a '*' handler registered later takes user.created off the one-statement path too", async () => {
    const seen: string[] = [];
    harness.app.get(ClerkWebhookHandlers).register('*', (event) => void seen.push(event.type));
    const statements = await statementsOf(harness.kit.signWebhook('user.created', buildClerkUser()));
    expect(statements.some((sql) => TRANSACTION.test(sql))).toBe(true);
    expect(seen).toEqual(['user.created']);
  });
});

/** An app table whose extra column has a database default: nothing runs in JS on save. */
@Entity('plain_app_users')
class PlainAppUser extends AbstractClerkUser {
  @Column({ type: 'varchar', length: 40, default: 'free' })
  plan: string;
}

/** An app table whose entity sets a value in JS (a field initialiser): only save() writes it. */
@Entity('initialised_app_users')
class InitialisedAppUser extends AbstractClerkUser {
  @Column({ type: 'varchar', length: 40, nullable: true })
  plan: string | null = 'trial';
}

describe.each(PLATFORMS)('custom user entities (%s)', (platform) => {
  describe.each([
    ['an extra column with a database default', PlainAppUser, 'plain_app_users', 'free', false],
    ['a field initialiser', InitialisedAppUser, 'initialised_app_users', 'trial', true],
  ])('a custom user entity with %s', (_name, entity, table, plan, transactional) => {
    const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined }, userEntity: entity, database: { synchronize: true, autoLoadEntities: true } });
    const { statementsOf } = probe(harness);

    beforeAll(() => warmUp(harness));

    it(`writes rows exactly as save() would (plan '${plan}'), ${transactional ? 'through the transactional path' : 'in one statement'}`, async () => {
      const user = buildClerkUser({ firstName: 'Custom' });
      const statements = await statementsOf(harness.kit.signWebhook('user.created', user));
      expect(statements.some((sql) => TRANSACTION.test(sql))).toBe(transactional);
      if (!transactional) expect(statements).toHaveLength(1);
      expect(await harness.dataSource.query(`SELECT "firstName", plan FROM ${table} WHERE "clerkId" = $1`, [user.id])).toEqual([{ firstName: 'Custom', plan }]);
    });
  });
});
