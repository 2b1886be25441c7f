import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClerkWebhookHandlers } from '../../lib/index.js';
import { buildClerkUser, type ClerkTestKit, type SignedWebhook } from '../../lib/testing/index.js';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

interface UserScript {
  versions: number;
  deleted: boolean;
}

/** The in-order history of one user: created, updated…, maybe deleted; each with its own svix id. */
function history(kit: ClerkTestKit, index: number, script: UserScript): SignedWebhook[] {
  const base = buildClerkUser({ id: `user_prop${String(index).padStart(24, '0')}`, email: `prop${index}@example.com`, firstName: 'v1', updatedAt: 1_000 });
  const events = [kit.signWebhook('user.created', base)];
  for (let v = 2; v <= script.versions; v++) events.push(kit.signWebhook('user.updated', { ...base, first_name: `v${v}`, updated_at: 1_000 * v }));
  if (script.deleted) events.push(kit.signWebhook('user.deleted', { object: 'user', id: base.id, deleted: true }));
  return events;
}

const tableOf = (harness: ClerkAppHarness) =>
  harness.dataSource.query(
    `SELECT "clerkId", CASE WHEN "clerkDeletedAt" IS NULL THEN "firstName" END AS "firstName", CASE WHEN "clerkDeletedAt" IS NULL THEN email END AS email, "isActive", "clerkDeletedAt" IS NOT NULL AS deleted FROM clerk_users ORDER BY "clerkId"`,
  );

describe.each(PLATFORMS)('property: any delivery order, with duplicates and failures retried, converges to the in-order table (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined } });
  const failOnce = new Set<string>();

  beforeAll(() => {
    harness.app.get(ClerkWebhookHandlers).register('*', (_event, { svixId }) => {
      if (failOnce.delete(svixId)) throw new Error('transient failure injected by the property test');
    });
  });

  const table = () => tableOf(harness);

  it('holds for random streams', async () => {
    const scenario = fc.record({
      users: fc.array(fc.record({ versions: fc.integer({ min: 1, max: 4 }), deleted: fc.boolean() }), { minLength: 1, maxLength: 3 }),
      seed: fc.integer(),
      duplicateEvery: fc.integer({ min: 2, max: 5 }),
      failEvery: fc.integer({ min: 2, max: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ users, seed, duplicateEvery, failEvery }) => {
        // Expected: the same events delivered once each, in order, without failures.
        await harness.dataSource.query(`TRUNCATE clerk_users, clerk_webhook_events`);
        const histories = users.map((script, i) => history(harness.kit, i, script));
        for (const delivery of histories.flat()) await deliver(harness.app, delivery).expect(200);
        const expected = await table();

        await harness.dataSource.query(`TRUNCATE clerk_users, clerk_webhook_events`);
        const rng = fc.sample(fc.infiniteStream(fc.integer()), { seed, numRuns: 1 })[0];
        const stream = histories.flat().map((delivery) => ({ delivery, key: rng.next().value as number }));
        stream.sort((a, b) => a.key - b.key);
        const deliveries = stream.flatMap(({ delivery }, i) => (i % duplicateEvery === 0 ? [delivery, delivery] : [delivery]));
        deliveries.forEach(({ headers }, i) => {
          if (i % failEvery === 0) failOnce.add(headers['svix-id']);
        });
        const retries: SignedWebhook[] = [];
        for (const delivery of deliveries) {
          const { status } = await deliver(harness.app, delivery);
          if (status === 500) retries.push(delivery);
          else expect(status).toBe(200);
        }
        // Svix retries failed deliveries later, with the same svix-id.
        for (const delivery of retries) await deliver(harness.app, delivery).expect(200);

        expect(await table()).toEqual(expected);
        const processed = await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_webhook_events WHERE processed_at IS NOT NULL`);
        expect(processed).toEqual([{ n: histories.flat().length }]);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe.each(PLATFORMS)('property: on the one-statement path, concurrent deliveries in any order, with duplicates, converge to the in-order table (%s)', (platform) => {
  // No app handler: user.created/updated take the group-committed statement, user.deleted its transaction.
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined } });

  it('holds for random streams sent in random concurrent bursts', async () => {
    const scenario = fc.record({
      users: fc.array(fc.record({ versions: fc.integer({ min: 1, max: 5 }), deleted: fc.boolean() }), { minLength: 1, maxLength: 4 }),
      seed: fc.integer(),
      duplicateEvery: fc.integer({ min: 2, max: 5 }),
      burst: fc.integer({ min: 1, max: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ users, seed, duplicateEvery, burst }) => {
        await harness.dataSource.query(`TRUNCATE clerk_users, clerk_webhook_events`);
        const histories = users.map((script, i) => history(harness.kit, i, script));
        for (const delivery of histories.flat()) await deliver(harness.app, delivery).expect(200);
        const expected = await tableOf(harness);

        await harness.dataSource.query(`TRUNCATE clerk_users, clerk_webhook_events`);
        const rng = fc.sample(fc.infiniteStream(fc.integer()), { seed, numRuns: 1 })[0];
        const stream = histories.flat().map((delivery) => ({ delivery, key: rng.next().value as number }));
        stream.sort((a, b) => a.key - b.key);
        const deliveries = stream.flatMap(({ delivery }, i) => (i % duplicateEvery === 0 ? [delivery, delivery] : [delivery]));
        for (let i = 0; i < deliveries.length; i += burst) {
          const statuses = await Promise.all(deliveries.slice(i, i + burst).map((delivery) => deliver(harness.app, delivery).then((r) => r.status)));
          expect(statuses.every((status) => status === 200)).toBe(true);
        }

        expect(await tableOf(harness)).toEqual(expected);
        const events = await harness.dataSource.query(`SELECT count(*)::int AS n, sum(attempts)::int AS attempts FROM clerk_webhook_events WHERE processed_at IS NOT NULL`);
        expect(events).toEqual([{ n: histories.flat().length, attempts: histories.flat().length }]);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
