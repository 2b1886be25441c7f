import { describe, expect, it } from '@jest/globals';
import { ClerkUsersService } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { RecordingLogger, SessionProbeController, sessionCookieOf, sessionTokenCookie, withSessionMiddleware } from './session-support.js';

const ORIGIN = 'http://localhost:3000';
const WINDOW = 300;

describe.each(PLATFORMS)('Clerk server sessions: validated once, bound to one user (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    clerk: { sessions: true, sessionRevalidationSeconds: WINDOW },
    configure: withSessionMiddleware(platform),
    controllers: [ProbeController, SessionProbeController],
  });

  const agent = () => harness.agent();
  const newUser = (email: string) => harness.api.addUser({ email }).id;
  const age = (browser: ReturnType<typeof agent>) => browser.get(`/session-probe/age?seconds=${WINDOW + 1}`).expect(200);

  it('a verified __session cookie token starts a server session; within the window the session alone authenticates', async () => {
    const ada = newUser('ada-session@example.com');
    const browser = agent();
    const first = await browser.get('/session-probe/whoami').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: 'sess_start' }))).expect(200);
    expect(sessionCookieOf(first, platform)).not.toBeNull();
    expect(first.body).toMatchObject({ method: 'clerk', tokenType: 'session_token', userId: ada, sessionId: 'sess_start' });

    // No token at all: the server session stands for the window.
    const second = await browser.get('/session-probe/whoami').expect(200);
    expect(second.body).toMatchObject({ method: 'clerk', userId: ada, sessionId: 'sess_start', user: { clerkId: ada } });
    await browser.get('/me').expect(200);
  });

  it('within the window a token that would now fail still passes (no re-verification); after the window the same request is signed out', async () => {
    const ada = newUser('ada-window@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    const expired = sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, expiresInSeconds: -120 }));

    await browser.get('/me').set('Cookie', expired).expect(200);
    await age(browser);
    expect((await browser.get('/me').set('Cookie', expired).expect(401)).body).toEqual({ message: 'Unauthorized', statusCode: 401 });
    // Signed out for good: the server session no longer authenticates without a token.
    await browser.get('/me').expect(401);
  });

  it('at revalidation a valid token of the same user renews the window', async () => {
    const ada = newUser('ada-renew@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    await age(browser);
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: 'sess_renewed' }))).expect(200);
    expect((await browser.get('/session-probe/whoami').expect(200)).body).toMatchObject({ userId: ada, sessionId: 'sess_renewed' });
  });

  it('at revalidation without any token the session is signed out', async () => {
    const ada = newUser('ada-notoken@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    await age(browser);
    await browser.get('/me').expect(401);
  });

  it('at revalidation a valid token of ANOTHER user is refused and signs the session out', async () => {
    const ada = newUser('ada-victim@example.com');
    const mallory = newUser('mallory@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    await age(browser);

    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: mallory }))).expect(401);
    await browser.get('/me').expect(401);
    // Ada's session is gone, not switched: Mallory's token now starts a session of Mallory's own.
    expect((await browser.get('/session-probe/whoami').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: mallory }))).expect(200)).body.userId).toBe(mallory);
  });

  it('within the window a new token of another user signs the session out as well', async () => {
    const ada = newUser('ada-switch@example.com');
    const bob = newUser('bob-switch@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: bob }))).expect(401);
    await browser.get('/me').expect(401);
  });

  it('the active org follows the newest verified token, not the one the session started with', async () => {
    const ada = newUser('ada-org@example.com');
    const browser = agent();
    const acme = { id: 'org_acme00000000000000000000001', slug: 'acme', role: 'admin' };
    const globex = { id: 'org_globex000000000000000000001', slug: 'globex', role: 'member' };
    const viaAcme = await browser.get('/org').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, org: acme }))).expect(200);
    expect(viaAcme.body).toMatchObject({ org: { id: acme.id, role: 'org:admin' }, requestOrg: acme.id });

    const viaGlobex = await browser.get('/org').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, org: globex }))).expect(200);
    expect(viaGlobex.body).toMatchObject({ org: { id: globex.id, slug: 'globex', role: 'org:member' }, requestOrg: globex.id });
    // The session keeps the newest org (and its role) for requests without a token.
    expect((await browser.get('/org').expect(200)).body).toMatchObject({ org: { id: globex.id, role: 'org:member' }, requestOrg: globex.id });
    await browser.get('/require/admin').expect(403);
    // Leaving the org (a token without one) is followed too.
    expect((await browser.get('/org').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200)).body).toEqual({ org: null, requestOrg: null });
  });

  it('a bearer request never creates a server session and leaves no Set-Cookie', async () => {
    const ada = newUser('ada-bearer@example.com');
    const response = await harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: ada })}`).expect(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    const post = await harness.http().post('/session-probe/action').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: ada })}`).expect(201);
    expect(post.headers['set-cookie']).toBeUndefined();
  });

  it('a bearer request beside an existing server session is stateless: it neither reads nor rotates the session', async () => {
    const ada = newUser('ada-mixed@example.com');
    const bob = newUser('bob-mixed@example.com');
    const browser = agent();
    const started = await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    const sessionCookie = sessionCookieOf(started, platform);

    const asBob = await browser.get('/session-probe/whoami').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: bob })}`).expect(200);
    expect(asBob.body.userId).toBe(bob);
    const reissued = sessionCookieOf(asBob, platform);
    if (reissued) expect(reissued).toBe(sessionCookie); // a rolling cookie may be re-sent, never a new id
    expect((await browser.get('/session-probe/whoami').expect(200)).body.userId).toBe(ada);
  });

  it('CSRF: a session-authenticated unsafe request needs an Origin (or Referer) among authorizedParties; 403 otherwise', async () => {
    const ada = newUser('ada-csrf@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);

    const refused = await browser.post('/session-probe/action').set('Origin', 'https://evil.example').expect(403);
    expect(refused.body).toEqual({ message: 'Forbidden', statusCode: 403 });
    await browser.post('/session-probe/action').expect(403); // neither Origin nor Referer
    await browser.post('/session-probe/action').set('Origin', 'null').expect(403);
    await browser.post('/session-probe/action').set('Referer', 'https://evil.example/form').expect(403);

    expect((await browser.post('/session-probe/action').set('Origin', ORIGIN).expect(201)).body).toEqual({ ok: true, method: 'clerk' });
    await browser.post('/session-probe/action').set('Referer', `${ORIGIN}/settings`).expect(201);
    await browser.delete('/session-probe/action').set('Origin', 'https://evil.example').expect(403);
    await browser.delete('/session-probe/action').set('Origin', ORIGIN).expect(200);
    // Safe methods are not checked.
    await browser.get('/session-probe/whoami').set('Origin', 'https://evil.example').expect(200);
  });

  it('CSRF: a cross-origin POST carrying only the __session cookie is refused before it can start a session', async () => {
    const ada = newUser('ada-csrf-cookie@example.com');
    const response = await harness.http()
      .post('/session-probe/action')
      .set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada })))
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(sessionCookieOf(response, platform)).toBeNull();
  });

  it('@Public routes see the session user; a session-less browser stays anonymous', async () => {
    const ada = newUser('ada-public@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    expect((await browser.get('/public').expect(200)).body.user).toMatchObject({ clerkId: ada });
    expect((await agent().get('/public').expect(200)).body).toEqual({ user: null });
  });

  it('@RequireStaff works on a Clerk server session of a user whose local row is staff', async () => {
    const ada = newUser('ada-staff@example.com');
    const browser = agent();
    await browser.get('/require/staff').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(403);
    await harness.dataSource.query(`UPDATE clerk_users SET "isStaff" = true WHERE "clerkId" = $1`, [ada]);
    await harness.app.get(ClerkUsersService).invalidate(ada);
    await browser.get('/require/staff').expect(200);
  });

  it('without localAuth no login endpoint is mounted', async () => {
    await harness.http().post('/auth/local/login').set('Origin', ORIGIN).send({ email: 'a@b.example', password: 'whatever!' }).expect(404);
  });

  it('a deactivated user (signed user.deleted webhook) is refused on the next session request', async () => {
    const ada = newUser('ada-deleted@example.com');
    const browser = agent();
    await browser.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada }))).expect(200);
    await deliver(harness.app, harness.kit.signWebhook('user.deleted', { object: 'user', id: ada, deleted: true })).expect(200);
    await browser.get('/me').expect(401);
  });

  it('a revoked Clerk session (signed session.revoked webhook) ends the server session at once; another session of the user keeps working', async () => {
    const ada = newUser('ada-revoked@example.com');
    const revoked = agent();
    const other = agent();
    await revoked.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: 'sess_to_revoke' }))).expect(200);
    await other.get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: ada, sessionId: 'sess_to_keep' }))).expect(200);
    await deliver(harness.app, harness.kit.signWebhook('session.revoked', { object: 'session', id: 'sess_to_revoke', user_id: ada, status: 'revoked', updated_at: Date.now() })).expect(200);
    await revoked.get('/me').expect(401);
    await other.get('/me').expect(200);
  });
});

describe.each(PLATFORMS)('sessions: true without a session middleware (%s)', (platform) => {
  const logger = new RecordingLogger();
  const harness = useClerkTestApp({ platform, clerk: { sessions: true }, logger, controllers: [ProbeController] });

  it('answers 500 to a cookie request and logs what to install; bearer requests keep working', async () => {
    const user = harness.api.addUser({ email: 'no-middleware@example.com' });
    const response = await harness.http().get('/me').set('Cookie', sessionTokenCookie(harness.kit.mintSessionToken({ userId: user.id }))).expect(500);
    expect(response.body).toEqual({ message: 'Internal Server Error', statusCode: 500 });
    const errors = logger.lines.filter((line) => line.level === 'error').map((line) => line.message);
    expect(errors.some((line) => line.includes('express-session') && line.includes('@fastify/session'))).toBe(true);
    await harness.http().get('/me').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: user.id })}`).expect(200);
  });
});
