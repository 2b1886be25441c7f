import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'node:net';
import { ClerkWebhookHandlers } from '../../lib/index.js';
import { buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

/** The `pg` client under a TypeORM query runner, reached to cut its socket like a network failure would. */
type PgClientLike = { connection?: { stream?: Socket } };

describe.each(PLATFORMS)('the database going away in the middle of an event (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined } });
  const cutFor = new Set<string>();

  beforeAll(() => {
    harness.app.get(ClerkWebhookHandlers).register('user.created', async (_event, { svixId, manager }) => {
      if (!cutFor.delete(svixId)) return;
      const client = (manager.queryRunner as unknown as { databaseConnection?: PgClientLike }).databaseConnection;
      client?.connection?.stream?.destroy();
      await manager.query('SELECT 1');
    });
  });

  it('answers 5xx, keeps nothing of the event, and a later retry succeeds', async () => {
    const user = buildClerkUser({ firstName: 'Resilient' });
    const delivery = harness.kit.signWebhook('user.created', user);
    cutFor.add(delivery.headers['svix-id']);
    const failed = await deliver(harness.app, delivery);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users WHERE "clerkId" = $1`, [user.id])).toEqual([{ n: 0 }]);

    await deliver(harness.app, delivery).expect(200);
    expect(await harness.dataSource.query(`SELECT "firstName" FROM clerk_users WHERE "clerkId" = $1`, [user.id])).toEqual([{ firstName: 'Resilient' }]);
    const [event] = await harness.dataSource.query(`SELECT processed_at IS NOT NULL AS done FROM clerk_webhook_events WHERE svix_id = $1`, [delivery.headers['svix-id']]);
    expect(event).toEqual({ done: true });
  });
});
