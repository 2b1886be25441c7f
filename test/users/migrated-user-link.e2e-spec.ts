import { beforeEach, describe, expect, it } from '@jest/globals';
import { StaffAccountsService } from '../../lib/index.js';
import { buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { deliver } from '../support/webhook-client.js';

// migrate-users-to-clerk creates each Clerk user with external_id = the local row's id and links the
// row once Clerk answers; Clerk's user.created webhook may arrive first. It must link that row (only the
// Backend API sets external_id), not store a second row beside it.
describe('a webhook for a user migrated from a local row links that row by external_id', () => {
  const harness = useClerkTestApp();
  const rows = (email: string) => harness.dataSource.query(`SELECT id, "clerkId" FROM clerk_users WHERE email = $1 OR "clerkId" IS NOT NULL AND email IS NULL`, [email]);

  beforeEach(async () => {
    await harness.dataSource.query('TRUNCATE clerk_users, clerk_webhook_events');
  });

  it('links a staff password account (--include-staff) the email rule would refuse, keeping one row', async () => {
    const local = await harness.app.get(StaffAccountsService).createStaffAccount({ email: 'kept-password@example.com', password: 'correct horse battery staple' });
    const clerkUser = { ...buildClerkUser({ email: 'kept-password@example.com' }), external_id: local.id };
    await deliver(harness.app, harness.kit.signWebhook('user.created', clerkUser)).expect(200);
    expect(await rows('kept-password@example.com')).toEqual([{ id: local.id, clerkId: clerkUser.id }]);
  });

  it('ignores an external_id that names no unlinked row of this table', async () => {
    const linked = buildClerkUser({ email: 'first@example.com' });
    await deliver(harness.app, harness.kit.signWebhook('user.created', linked)).expect(200);
    const [{ id }] = await harness.dataSource.query(`SELECT id FROM clerk_users WHERE "clerkId" = $1`, [linked.id]);
    for (const externalId of [id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const other = { ...buildClerkUser({ email: `other-${externalId.length}-${Math.random()}@example.com` }), external_id: externalId };
      await deliver(harness.app, harness.kit.signWebhook('user.created', other)).expect(200);
      const [row] = await harness.dataSource.query(`SELECT id FROM clerk_users WHERE "clerkId" = $1`, [other.id]);
      expect(row.id).not.toBe(id);
    }
    expect((await harness.dataSource.query(`SELECT "clerkId" FROM clerk_users WHERE id = $1`, [id]))[0].clerkId).toBe(linked.id);
  });
});
