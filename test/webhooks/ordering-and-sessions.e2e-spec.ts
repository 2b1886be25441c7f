import { describe, expect, it } from '@jest/globals';
import { ClerkWebhookProcessor } from '../../lib/webhooks/clerk-webhook-processor.service.js';
import { buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

describe.each(PLATFORMS)('ordering guard, final deletion and session events (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined } });

  const send = (type: string, data: unknown) => deliver(harness.app, harness.kit.signWebhook(type, data)).expect(200);
  const row = async (clerkId: string) =>
    (await harness.dataSource.query(`SELECT "firstName", "isActive", "lastLogin", "lastLogout", "clerkDeletedAt", "clerkUpdatedAt" FROM clerk_users WHERE "clerkId" = $1`, [clerkId]))[0];

  it('an older user.updated delivered after a newer one is acknowledged and skipped', async () => {
    const v1 = buildClerkUser({ firstName: 'v1', updatedAt: 1_000 });
    const v2 = { ...v1, first_name: 'v2', updated_at: 2_000 };
    await send('user.updated', v2);
    await send('user.created', v1);
    await send('user.updated', { ...v1, first_name: 'v1-late' });
    expect(await row(v1.id)).toMatchObject({ firstName: 'v2', clerkUpdatedAt: new Date(2_000) });
  });

  it('user.deleted is final: a late user.updated does not resurrect the row', async () => {
    const user = buildClerkUser({ firstName: 'Doomed', updatedAt: 5_000 });
    await send('user.created', user);
    await send('user.deleted', { object: 'user', id: user.id, deleted: true });
    await send('user.updated', { ...user, first_name: 'Zombie', updated_at: 9_000 });
    expect(await row(user.id)).toMatchObject({ firstName: 'Doomed', isActive: false, clerkDeletedAt: expect.any(Date) });
  });

  it('user.deleted before user.created leaves a tombstone the creation cannot pass', async () => {
    const user = buildClerkUser({ firstName: 'Never' });
    await send('user.deleted', { object: 'user', id: user.id, deleted: true });
    await send('user.created', user);
    expect(await row(user.id)).toMatchObject({ isActive: false, clerkDeletedAt: expect.any(Date), firstName: '' });
  });

  it('a deleted user is refused at once, even with a cached row', async () => {
    const user = buildClerkUser();
    await send('user.created', user);
    const token = harness.kit.mintSessionToken({ userId: user.id });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    await send('user.deleted', { object: 'user', id: user.id, deleted: true });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('session.created sets lastLogin; session end events set lastLogout and never write null or go backwards', async () => {
    const user = buildClerkUser();
    await send('user.created', user);
    await send('session.created', { object: 'session', id: 'sess_a', user_id: user.id, status: 'active', created_at: 10_000, updated_at: 10_000 });
    expect(await row(user.id)).toMatchObject({ lastLogin: new Date(10_000), lastLogout: null });
    await send('session.ended', { object: 'session', id: 'sess_a', user_id: user.id, status: 'ended', abandoned_at: 20_000, updated_at: 20_000 });
    await send('session.revoked', { object: 'session', id: 'sess_b', user_id: user.id, status: 'revoked', updated_at: 15_000 });
    await send('session.created', { object: 'session', id: 'sess_c', user_id: user.id, status: 'active' });
    expect(await row(user.id)).toMatchObject({ lastLogin: new Date(10_000), lastLogout: new Date(20_000) });
  });

  it('a locked user is inactive until a newer user.updated unlocks them', async () => {
    const user = buildClerkUser({ locked: true, updatedAt: 1_000 });
    await send('user.created', user);
    expect(await row(user.id)).toMatchObject({ isActive: false });
    await send('user.updated', { ...user, locked: false, updated_at: 2_000 });
    expect(await row(user.id)).toMatchObject({ isActive: true });
  });

  it('prune() drops processed event ids older than the retention, keeps recent and unprocessed ones', async () => {
    await harness.dataSource.query(`
      INSERT INTO clerk_webhook_events (svix_id, type, processed_at, attempts) VALUES
        ('msg_old', 'user.updated', now() - interval '73 hours', 1),
        ('msg_recent', 'user.updated', now() - interval '71 hours', 1),
        ('msg_pending', 'user.updated', NULL, 3)`);
    expect(await harness.app.get(ClerkWebhookProcessor).prune()).toBeGreaterThanOrEqual(1);
    const left = await harness.dataSource.query(`SELECT svix_id FROM clerk_webhook_events WHERE svix_id IN ('msg_old', 'msg_recent', 'msg_pending') ORDER BY svix_id`);
    expect(left).toEqual([{ svix_id: 'msg_pending' }, { svix_id: 'msg_recent' }]);
  });

  it('session events for unknown users are acknowledged', async () => {
    await send('session.created', { object: 'session', id: 'sess_x', user_id: 'user_unknown00000000000000000', created_at: 1 });
  });

  it.each(['session.revoked', 'session.ended', 'session.removed'])('%s stops that session\'s cached token at once; other sessions keep working', async (type) => {
    const user = buildClerkUser();
    await send('user.created', user);
    const sessionId = `sess_${type.replace('.', '_')}`;
    const revoked = harness.kit.mintSessionToken({ userId: user.id, sessionId });
    const other = harness.kit.mintSessionToken({ userId: user.id, sessionId: `${sessionId}_other` });
    await harness.http().get('/me').set('Authorization', `Bearer ${revoked}`).expect(200);
    await send(type, { object: 'session', id: sessionId, user_id: user.id, status: type.split('.')[1], updated_at: Date.now() });
    await harness.http().get('/me').set('Authorization', `Bearer ${revoked}`).expect(401);
    await harness.http().get('/me').set('Authorization', `Bearer ${other}`).expect(200);
  });
});
