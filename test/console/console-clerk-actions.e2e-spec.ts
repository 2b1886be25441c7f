import { beforeAll, describe, expect, it } from '@jest/globals';
import { ClerkConsoleModule } from '../../lib/console/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { RecordingLogger } from '../sessions/session-support.js';
import { ConsoleAccounts, setUpConsole, type ConsoleUser } from './console-support.js';

const ORIGIN = 'http://localhost:3000';

describe.each(PLATFORMS)('staff console: Clerk actions, each audited (%s)', (platform) => {
  const logger = new RecordingLogger();
  const harness = useClerkTestApp({ platform, logger, controllers: [ProbeController], imports: [ClerkConsoleModule.forRoot()] });
  let people: ConsoleAccounts;
  let admin: ConsoleUser;

  beforeAll(async () => {
    ({ people, admin } = await setUpConsole(harness, `act${platform.slice(0, 2)}`));
  });

  const post = (id: string, action: string, body?: object) => {
    const call = harness.http().post(`/clerk-console/api/users/${id}/${action}`).set('Authorization', admin.bearer()).set('Origin', ORIGIN);
    return body ? call.send(body) : call;
  };
  const lastAudit = async (id: string) => (await harness.http().get(`/clerk-console/api/audit?userId=${id}`).set('Authorization', admin.bearer()).expect(200)).body.items[0];

  it('resync brings the row up to date from Clerk through the one mapping', async () => {
    const member = await people.clerkUser({}, { firstName: 'Old' });
    harness.api.updateUser(member.clerkId, { first_name: 'New', last_name: 'Name' });
    const answer = await post(member.row.id, 'resync').expect(200);
    expect(answer.body).toMatchObject({ action: 'resync', outcome: 'updated', user: { id: member.row.id, clerkId: member.clerkId, isActive: true } });
    expect(await harness.dataSource.query(`SELECT "firstName", "lastName" FROM clerk_users WHERE id = $1`, [member.row.id])).toEqual([{ firstName: 'New', lastName: 'Name' }]);
    expect(await lastAudit(member.row.id)).toMatchObject({ action: 'resync', actor: admin.email, before: { firstName: 'Old' }, after: { firstName: 'New', lastName: 'Name', outcome: 'updated' } });
  });

  it('revoke-sessions ends every live Clerk session of the user; a token of a revoked session is refused', async () => {
    const member = await people.clerkUser();
    const live = harness.api.addSession({ userId: member.clerkId, id: 'sess_console_live_' + platform });
    harness.api.addSession({ userId: member.clerkId });
    const token = harness.kit.mintSessionToken({ userId: member.clerkId, sessionId: live.id });
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    const answer = await post(member.row.id, 'revoke-sessions').expect(200);
    expect(answer.body).toMatchObject({ action: 'revoke-sessions', revokedSessions: 2 });
    expect(harness.api.listSessions(member.clerkId).map((s) => s.status)).toEqual(['revoked', 'revoked']);
    await harness.http().get('/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(await lastAudit(member.row.id)).toMatchObject({ action: 'revoke-sessions', before: null, after: { revokedSessions: 2 } });
  });

  it('ban deactivates the row at once and unban restores it, each audited', async () => {
    const member = await people.clerkUser();
    const banned = await post(member.row.id, 'ban').expect(200);
    expect(banned.body).toMatchObject({ action: 'ban', user: { isActive: false } });
    expect(harness.api.getUser(member.clerkId)?.banned).toBe(true);
    await harness.http().get('/me').set('Authorization', member.bearer()).expect(401);
    expect(await lastAudit(member.row.id)).toMatchObject({ action: 'ban', before: { isActive: true }, after: { banned: true, isActive: false } });
    const unbanned = await post(member.row.id, 'unban').expect(200);
    expect(unbanned.body).toMatchObject({ action: 'unban', user: { isActive: true } });
    await harness.http().get('/me').set('Authorization', member.bearer()).expect(200);
    expect(await lastAudit(member.row.id)).toMatchObject({ action: 'unban', before: { isActive: false }, after: { banned: false, isActive: true } });
  });

  it('sign-in-link answers the link once (no-store), audits when it expires and where it leads, and never logs or stores it', async () => {
    const member = await people.clerkUser();
    const answer = await post(member.row.id, 'sign-in-link', { redirectUrl: `${ORIGIN}/welcome`, expiresInSeconds: 600 }).expect(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const url = new URL(answer.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${ORIGIN}/welcome`);
    const ticket = url.searchParams.get('__clerk_ticket');
    expect(ticket).toBeTruthy();
    expect(harness.api.listSignInTokens().map((t) => t.token)).toContain(ticket);
    const audit = await lastAudit(member.row.id);
    expect(audit).toMatchObject({ action: 'sign-in-link', after: { redirectOrigin: ORIGIN, expiresAt: answer.body.expiresAt } });
    expect(JSON.stringify(audit)).not.toContain(ticket);
    const stored = JSON.stringify(await harness.dataSource.query(`SELECT * FROM clerk_console_audit`));
    expect(stored).not.toContain(ticket!);
    expect(logger.lines.some((line) => line.message.includes(ticket!))).toBe(false);
  });

  it('sign-in-link refuses a redirect off the app\'s origins, a bad lifetime or other fields (400), creating nothing', async () => {
    const member = await people.clerkUser();
    const before = harness.api.listSignInTokens().length;
    for (const body of [{ redirectUrl: 'https://evil.example/steal' }, { redirectUrl: 'not a url' }, {}, { redirectUrl: `${ORIGIN}/`, expiresInSeconds: 5 }, { redirectUrl: `${ORIGIN}/`, userId: 'user_x' }]) {
      await post(member.row.id, 'sign-in-link', body).expect(400);
    }
    expect(harness.api.listSignInTokens()).toHaveLength(before);
  });

  it('refuses Clerk actions on an account without a Clerk identity (409) and answers 404 when Clerk no longer has the user', async () => {
    const [local] = await harness.dataSource.query(`INSERT INTO clerk_users (email) VALUES ($1) RETURNING id`, [`local-${platform}@corp.example`]);
    for (const action of ['resync', 'revoke-sessions', 'ban', 'unban']) await post(local.id, action).expect(409);
    await post(local.id, 'sign-in-link', { redirectUrl: `${ORIGIN}/` }).expect(409);
    const gone = await people.clerkUser();
    harness.api.removeUser(gone.clerkId);
    await post(gone.row.id, 'resync').expect(404);
    await post(gone.row.id, 'ban').expect(404);
  });
});
