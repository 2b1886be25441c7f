import { beforeEach, describe, expect, it } from '@jest/globals';
import { ClerkUsersSync } from '../../lib/index.js';
import { ClerkUsernames } from '../../lib/users/username-assignment.service.js';
import { UsernameBackfill } from '../../lib/users/username-backfill.service.js';
import { buildClerkUser } from '../../lib/testing/index.js';
import type { ClerkUserJson } from '../../lib/index.js';
import { useClerkTestApp, type ClerkAppHarness } from '../support/clerk-test-app.js';
import { deliver } from '../support/webhook-client.js';

const GENERATED = /^user_[0-9a-f]{16}$/;

function helpers(harness: ClerkAppHarness) {
  const usernameOf = async (clerkId: string): Promise<string | null> => (await harness.dataSource.query(`SELECT username FROM clerk_users WHERE "clerkId" = $1`, [clerkId]))[0]?.username ?? null;
  const send = (type: string, data: ClerkUserJson) => deliver(harness.app, harness.kit.signWebhook(type, data)).expect((res) => expect(res.status).toBeLessThan(300));
  const me = (userId: string) => harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId })}`).expect(200);
  const reset = async () => {
    for (const user of harness.api.listUsers()) harness.api.removeUser(user.id);
    await harness.dataSource.query('TRUNCATE clerk_users, clerk_webhook_events');
    harness.api.clearRequests();
  };
  return { usernameOf, send, me, reset };
}

describe('autoGenerateUsername: a name generated once, never churned (pushToClerk off)', () => {
  const harness = useClerkTestApp({ clerk: { autoGenerateUsername: { pushToClerk: false } }, providers: [UsernameBackfill] });
  const { usernameOf, send, me, reset } = helpers(harness);
  beforeEach(reset);

  it('webhooks: user.created without a username gets one; later events without one keep it; a Clerk username replaces it', async () => {
    const user = buildClerkUser({ email: 'hooked@example.com', updatedAt: 1_000 });
    await send('user.created', user);
    const generated = await usernameOf(user.id);
    expect(generated).toMatch(GENERATED);
    for (let v = 2; v <= 4; v++) await send('user.updated', { ...user, first_name: `v${v}`, updated_at: 1_000 * v });
    expect(await usernameOf(user.id)).toBe(generated);
    await send('user.updated', { ...user, username: 'chosen_one', updated_at: 5_000 });
    expect(await usernameOf(user.id)).toBe('chosen_one');
    await send('user.updated', { ...user, username: null, updated_at: 6_000 });
    expect(await usernameOf(user.id)).toBe('chosen_one');
    // Nothing went to Clerk: pushToClerk is off.
    expect(harness.api.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('the linking path (an email held by a local row) generates one too, and keeps it afterwards', async () => {
    await harness.dataSource.query(`INSERT INTO clerk_users (email) VALUES ('held@example.com')`);
    const user = buildClerkUser({ email: 'held@example.com', updatedAt: 1_000 });
    await send('user.created', user);
    const generated = await usernameOf(user.id);
    expect(generated).toMatch(GENERATED);
    await send('user.updated', { ...user, last_name: 'Later', updated_at: 2_000 });
    expect(await usernameOf(user.id)).toBe(generated);
  });

  it('sync: a new user gets one; syncing again after a change in Clerk keeps it', async () => {
    const user = harness.api.addUser({ email: 'synced@example.com' });
    await harness.app.get(ClerkUsersSync).run({ all: true });
    const generated = await usernameOf(user.id);
    expect(generated).toMatch(GENERATED);
    harness.api.updateUser(user.id, { first_name: 'Changed' });
    expect(await harness.app.get(ClerkUsersSync).run({ all: true })).toMatchObject({ updated: 1, failed: 0 });
    expect(await usernameOf(user.id)).toBe(generated);
  });

  it('first-request provisioning gets one; the webhooks that follow keep it', async () => {
    const user = harness.api.addUser({ email: 'first@example.com' });
    expect((await me(user.id)).body).toMatchObject({ clerkId: user.id });
    const generated = await usernameOf(user.id);
    expect(generated).toMatch(GENERATED);
    await send('user.updated', { ...harness.api.getUser(user.id)!, first_name: 'Hooked', updated_at: Date.now() + 1_000 });
    expect(await usernameOf(user.id)).toBe(generated);
  });

  it('a hundred users get a hundred different names', async () => {
    const users = Array.from({ length: 100 }, (_, i) => buildClerkUser({ email: `many${i}@example.com` }));
    await Promise.all(users.map((user) => send('user.created', user)));
    const rows: Array<{ username: string }> = await harness.dataSource.query(`SELECT username FROM clerk_users`);
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => GENERATED.test(r.username))).toBe(true);
    expect(new Set(rows.map((r) => r.username)).size).toBe(100);
  });

  it('generate-usernames (UsernameBackfill) fills rows that arrived before the option was on, and only those', async () => {
    await harness.dataSource.query(`INSERT INTO clerk_users (email, "clerkId") VALUES ('old1@example.com', 'user_old1'), ('old2@example.com', NULL)`);
    await harness.dataSource.query(`INSERT INTO clerk_users (email, username) VALUES ('named@example.com', 'has_one')`);
    expect(await harness.app.get(UsernameBackfill).run({ prefix: 'legacy' })).toEqual({ candidates: 2, generated: 2, pushed: 0, failed: 0 });
    const rows: Array<{ email: string; username: string }> = await harness.dataSource.query(`SELECT email, username FROM clerk_users ORDER BY email`);
    expect(rows).toEqual([
      { email: 'named@example.com', username: 'has_one' },
      { email: 'old1@example.com', username: expect.stringMatching(/^legacy_[0-9a-f]{16}$/) },
      { email: 'old2@example.com', username: expect.stringMatching(/^legacy_[0-9a-f]{16}$/) },
    ]);
  });
});

describe('autoGenerateUsername with pushToClerk (the default) and a prefix', () => {
  const harness = useClerkTestApp({ clerk: { autoGenerateUsername: { prefix: 'acme' } }, providers: [UsernameBackfill] });
  const { usernameOf, send, reset } = helpers(harness);
  beforeEach(reset);

  it('writes the generated name to Clerk after user.created, so both agree; the user.updated Clerk then sends changes nothing', async () => {
    const user = harness.api.addUser({ email: 'pushed@example.com' });
    await send('user.created', harness.api.getUser(user.id)!);
    const generated = await usernameOf(user.id);
    expect(generated).toMatch(/^acme_[0-9a-f]{16}$/);
    expect(harness.api.getUser(user.id)?.username).toBe(generated);
    const patches = harness.api.requests.filter((r) => r.method === 'PATCH' && r.path === `/v1/users/${user.id}`).length;
    await send('user.updated', harness.api.getUser(user.id)!);
    expect(await usernameOf(user.id)).toBe(generated);
    expect(harness.api.requests.filter((r) => r.method === 'PATCH').length).toBe(patches);
  });

  it('a name Clerk says is taken is replaced by a new generated one, locally and in Clerk', async () => {
    harness.api.addUser({ email: 'holder@example.com', username: 'acme_taken' });
    const user = harness.api.addUser({ email: 'collides@example.com' });
    await harness.dataSource.query(`INSERT INTO clerk_users (email, "clerkId", username) VALUES ('collides@example.com', $1, 'acme_taken')`, [user.id]);
    const pushed = await harness.app.get(ClerkUsernames).pushToClerk(user.id);
    expect(pushed).toMatch(/^acme_[0-9a-f]{16}$/);
    expect(await usernameOf(user.id)).toBe(pushed);
    expect(harness.api.getUser(user.id)?.username).toBe(pushed);
  });

  it('generate-usernames --push-to-clerk writes the new names to Clerk, never over a name the user has there', async () => {
    const bare = harness.api.addUser({ email: 'bare@example.com' });
    const named = harness.api.addUser({ email: 'named-in-clerk@example.com', username: 'clerk_name' });
    await harness.dataSource.query(`INSERT INTO clerk_users (email, "clerkId") VALUES ('bare@example.com', $1), ('named-in-clerk@example.com', $2)`, [bare.id, named.id]);
    const lines: string[] = [];
    const summary = await harness.app.get(UsernameBackfill).run({ pushToClerk: true, reporter: { progress: () => undefined, line: (text) => lines.push(text) } });
    expect(summary).toEqual({ candidates: 2, generated: 2, pushed: 1, failed: 0 });
    expect(harness.api.getUser(bare.id)?.username).toBe(await usernameOf(bare.id));
    expect(harness.api.getUser(named.id)?.username).toBe('clerk_name');
    expect(lines).toContain(`not pushed: ${named.id} already has a username in Clerk`);
  });
});

describe('autoGenerateUsername is off by default', () => {
  const harness = useClerkTestApp();
  const { usernameOf, send, reset } = helpers(harness);
  beforeEach(reset);

  it('leaves users without a Clerk username without one', async () => {
    const user = buildClerkUser({ email: 'plain@example.com' });
    await send('user.created', user);
    expect(await usernameOf(user.id)).toBeNull();
  });
});
