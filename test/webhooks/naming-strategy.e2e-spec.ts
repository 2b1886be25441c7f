import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, Entity } from 'typeorm';
import { AbstractClerkUser, ClerkUsersModule, ClerkUsersSync, ClerkWebhookHandlers } from '../../lib/index.js';
import { ClerkWebhookProcessor } from '../../lib/webhooks/clerk-webhook-processor.service.js';
import { createSchema, LegacyNamingStrategy } from '../support/legacy-naming.js';
import { buildClerkUser, ClerkTestKit, type FakeClerkApi, type SignedWebhook } from '../../lib/testing/index.js';
import { QueryCounter } from '../support/query-counter.js';
import { deliver } from '../support/webhook-client.js';

// The library's hand-written SQL (the one-statement webhook path, the event claim, failure records,
// pruning, the sync's batched upsert, deletion tombstones) must name tables and columns as the app's
// DataSource does. Here every name differs from the defaults: a schema of its own, a table prefix
// and prefixed snake_case columns; nothing is reachable through the search_path.

const SCHEMA = 'clerk_named';

/** The app's user table: `clerk_named.app_accounts`. */
@Entity('accounts')
class Account extends AbstractClerkUser {}

const USERS = `${SCHEMA}.app_accounts`;
const EVENTS = `${SCHEMA}.app_clerk_webhook_events`;

describe('hand-written SQL under a custom naming strategy and a non-default schema', () => {
  let kit: ClerkTestKit;
  let api: FakeClerkApi;
  let app: INestApplication;
  let dataSource: DataSource;
  const queries = new QueryCounter();

  beforeAll(async () => {
    await createSchema(SCHEMA);
    kit = await ClerkTestKit.create();
    api = await kit.startFakeApi();
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: process.env.TEST_DATABASE_URL,
          uuidExtension: 'pgcrypto',
          schema: SCHEMA,
          namingStrategy: new LegacyNamingStrategy(),
          dropSchema: true,
          synchronize: true,
          autoLoadEntities: true,
          logging: ['query'],
          logger: queries,
          poolSize: process.env.TEST_DATABASE_EMBEDDED ? 1 : 5,
        }),
        ClerkUsersModule.forRoot({ ...kit.moduleOptions(), userEntity: Account }),
      ],
    }).compile();
    // Naming is the database's business, the same on every HTTP platform: Express only.
    app = moduleRef.createNestApplication({ logger: process.env.TEST_LOG ? ['error', 'warn', 'log', 'debug'] : false, rawBody: true });
    await app.init();
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await kit?.close();
  });

  const userRow = async (clerkId: string) =>
    (await dataSource.query(`SELECT c_email AS email, c_first_name AS "firstName", c_is_active AS "isActive", c_clerk_deleted_at AS "deletedAt" FROM ${USERS} WHERE c_clerk_id = $1`, [clerkId]))[0];
  const eventRow = async (svixId: string) => (await dataSource.query(`SELECT c_processed_at AS "processedAt", c_attempts AS attempts, c_last_error AS "lastError" FROM ${EVENTS} WHERE c_svix_id = $1`, [svixId]))[0];
  const statementsOf = async (delivery: SignedWebhook, status = 200) => {
    queries.reset();
    await deliver(app, delivery).expect(status);
    return queries.queries.filter((sql) => !/^(SELECT version|SHOW)/i.test(sql));
  };

  it('the tables carry the custom names, in the schema only', async () => {
    const tables = await dataSource.query(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [SCHEMA]);
    expect(tables).toEqual([
      { table_schema: SCHEMA, table_name: 'app_accounts' },
      { table_schema: SCHEMA, table_name: 'app_clerk_webhook_events' },
    ]);
  });

  it('one-statement path: user.created and a duplicate cost one statement each and land in the named tables', async () => {
    // The first processed event also prunes (see below): out of the way before counting.
    await deliver(app, kit.signWebhook('waitlistEntry.created', { id: 'wle_warm_up', object: 'waitlist_entry' })).expect(200);
    const user = buildClerkUser({ firstName: 'Named', email: 'named@example.com', updatedAt: 1_000 });
    const created = kit.signWebhook('user.created', user);
    const statements = await statementsOf(created);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain(`INSERT INTO "${SCHEMA}"."app_clerk_webhook_events"`);
    expect(statements[0]).toContain(`INSERT INTO "${SCHEMA}"."app_accounts"`);
    expect(await userRow(user.id)).toEqual({ email: 'named@example.com', firstName: 'Named', isActive: true, deletedAt: null });
    expect(await eventRow(created.headers['svix-id'])).toEqual({ processedAt: expect.any(Date), attempts: 1, lastError: null });

    expect(await statementsOf(created)).toHaveLength(1);
    expect(await eventRow(created.headers['svix-id'])).toMatchObject({ attempts: 1 });

    await deliver(app, kit.signWebhook('user.updated', { ...user, first_name: 'Renamed', updated_at: 2_000 })).expect(200);
    expect(await userRow(user.id)).toMatchObject({ firstName: 'Renamed' });
  });

  it('transactional path: claim, an app handler, and user.deleted (tombstone) in the named tables', async () => {
    const handlers = app.get(ClerkWebhookHandlers);
    const seen: string[] = [];
    handlers.register('user.updated', (_event, { svixId }) => void seen.push(svixId));

    const user = buildClerkUser({ firstName: 'Before', updatedAt: 1_000 });
    const updated = kit.signWebhook('user.updated', { ...user, first_name: 'After' });
    const statements = await statementsOf(updated);
    expect(statements.some((sql) => /^(START TRANSACTION|BEGIN)/i.test(sql))).toBe(true);
    expect(seen).toEqual([updated.headers['svix-id']]);
    expect(await userRow(user.id)).toMatchObject({ firstName: 'After', isActive: true });
    expect(await eventRow(updated.headers['svix-id'])).toEqual({ processedAt: expect.any(Date), attempts: 1, lastError: null });
    await deliver(app, updated).expect(200);
    expect(seen).toHaveLength(1);

    const ghost = 'user_ghost000000000000000000001';
    await deliver(app, kit.signWebhook('user.deleted', { id: ghost, object: 'user', deleted: true })).expect(200);
    await deliver(app, kit.signWebhook('user.deleted', { id: user.id, object: 'user', deleted: true })).expect(200);
    expect(await userRow(ghost)).toEqual({ email: null, firstName: '', isActive: false, deletedAt: expect.any(Date) });
    expect(await userRow(user.id)).toMatchObject({ isActive: false, deletedAt: expect.any(Date) });
  });

  it('a failed attempt and an after-commit failure are recorded on the named event row; old rows are pruned', async () => {
    const handlers = app.get(ClerkWebhookHandlers);
    let failures = 1;
    handlers.register('email.created', () => {
      if (failures-- > 0) throw new Error('app handler failed once');
    });
    handlers.register('sms.created', () => {
      throw new Error('notification failed');
    }, { afterCommit: true });

    const email = kit.signWebhook('email.created', { id: 'ema_1', object: 'email' });
    await deliver(app, email).expect(500);
    expect(await eventRow(email.headers['svix-id'])).toEqual({ processedAt: null, attempts: 1, lastError: expect.stringContaining('app handler failed once') });
    await deliver(app, email).expect(200);
    expect(await eventRow(email.headers['svix-id'])).toEqual({ processedAt: expect.any(Date), attempts: 2, lastError: null });

    const sms = kit.signWebhook('sms.created', { id: 'sms_1', object: 'sms_message' });
    await deliver(app, sms).expect(200);
    expect(await eventRow(sms.headers['svix-id'])).toMatchObject({ processedAt: expect.any(Date), lastError: expect.stringContaining('notification failed') });

    await dataSource.query(`UPDATE ${EVENTS} SET c_processed_at = now() - interval '400 days' WHERE c_svix_id = $1`, [sms.headers['svix-id']]);
    expect(await app.get(ClerkWebhookProcessor).prune()).toBe(1);
    expect(await eventRow(sms.headers['svix-id'])).toBeUndefined();
  });

  it('the sync writes pages with its batched upsert into the named table, and updates them on the next run', async () => {
    const users = Array.from({ length: 3 }, (_, i) => api.addUser({ email: `synced${i}@example.com`, firstName: `S${i}` }));
    const sync = app.get(ClerkUsersSync);
    expect(await sync.run({ all: true, limit: 2 })).toMatchObject({ created: 3, failed: 0, total: 3 });
    for (const [i, user] of users.entries()) expect(await userRow(user.id)).toMatchObject({ email: `synced${i}@example.com`, firstName: `S${i}`, isActive: true });

    api.updateUser(users[0].id, { first_name: 'Changed' });
    expect(await sync.run({ all: true, limit: 2 })).toMatchObject({ updated: 1, unchanged: 2, failed: 0 });
    expect(await userRow(users[0].id)).toMatchObject({ firstName: 'Changed' });
  });

  it('session events move lastLogin forward, and --deactivate-missing deactivates by the named column', async () => {
    const user = buildClerkUser({ email: 'sessions@example.com', updatedAt: 1_000 });
    await deliver(app, kit.signWebhook('user.created', user)).expect(200);
    await deliver(app, kit.signWebhook('session.created', { object: 'session', id: 'sess_named', user_id: user.id, status: 'active', created_at: 50_000, updated_at: 50_000 })).expect(200);
    const [row] = await dataSource.query(`SELECT c_last_login AS "lastLogin" FROM ${USERS} WHERE c_clerk_id = $1`, [user.id]);
    expect(new Date(row.lastLogin).getTime()).toBe(50_000);
    // Clerk never heard of this webhook-only user: a full sync with --deactivate-missing deactivates it.
    expect(await app.get(ClerkUsersSync).run({ all: true, deactivateMissing: true })).toMatchObject({ failed: 0 });
    expect(await userRow(user.id)).toMatchObject({ isActive: false });
  });
});
