import { beforeAll, describe, expect, it } from '@jest/globals';
import { StaffAccountsService, type AbstractClerkUser } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { CustomStaffLoginController, SessionProbeController, sessionCookieOf, sessionTokenCookie, withSessionMiddleware } from './session-support.js';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery staple';
const UNAUTHORIZED = { message: 'Unauthorized', statusCode: 401 };

describe.each(PLATFORMS)('staff password login beside Clerk (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    clerk: { sessions: true },
    localAuth: { enabled: true, maxFailuresPerAccount: 50, maxFailuresPerIp: 500 },
    configure: withSessionMiddleware(platform),
    controllers: [ProbeController, SessionProbeController, CustomStaffLoginController],
  });
  let staff: StaffAccountsService;
  let counter = 0;

  beforeAll(() => {
    staff = harness.app.get(StaffAccountsService);
  });

  const agent = () => harness.agent();
  const newStaff = async (superuser = false): Promise<AbstractClerkUser> => {
    counter += 1;
    return staff.createStaffAccount({ email: `staff${counter}-${platform}@corp.example`, username: `staff${counter}${platform}`, password: PASSWORD, superuser });
  };
  const login = (browser: ReturnType<typeof agent>, body: Record<string, unknown>) => browser.post('/auth/local/login').set('Origin', ORIGIN).send(body);

  it('POST /auth/local/login starts a server session marked local; the guard recognises it and @RequireStaff passes', async () => {
    const account = await newStaff();
    const browser = agent();
    const response = await login(browser, { email: account.email, password: PASSWORD }).expect(200);
    expect(response.body).toEqual({ id: account.id, email: account.email, username: account.username, isStaff: true, isSuperuser: false });
    expect(sessionCookieOf(response, platform)).not.toBeNull();

    const whoami = await browser.get('/session-probe/whoami').expect(200);
    expect(whoami.body).toEqual({ method: 'local', tokenType: null, userId: null, localUserId: account.id, sessionId: null, org: null, user: { id: account.id, email: account.email, clerkId: null } });
    await browser.get('/require/staff').expect(200);
    await browser.get('/require/superuser').expect(403);
    // Org requirements are about a Clerk org: a password login has none.
    await browser.get('/require/org').expect(403);
    await browser.get('/require/admin').expect(403);
    expect((await browser.post('/session-probe/action').set('Origin', ORIGIN).expect(201)).body).toEqual({ ok: true, method: 'local' });
    await browser.post('/session-probe/action').set('Origin', 'https://evil.example').expect(403);
  });

  it('a superuser logs in by username; @RequireSuperuser passes', async () => {
    const account = await newStaff(true);
    const browser = agent();
    await login(browser, { username: account.username, password: PASSWORD }).expect(200);
    await browser.get('/require/superuser').expect(200);
  });

  it('an app route on the clerk-local Passport strategy (AuthGuard) checks the password the same way', async () => {
    const account = await newStaff();
    const browser = agent();
    expect((await browser.post('/custom/login').set('Origin', ORIGIN).send({ email: account.email, password: PASSWORD }).expect(200)).body).toEqual({
      signedIn: account.email,
    });
    await browser.get('/require/staff').expect(200);
    expect((await agent().post('/custom/login').set('Origin', ORIGIN).send({ email: account.email, password: 'nope nope' }).expect(401)).body).toEqual(UNAUTHORIZED);
    await agent().post('/custom/login').set('Origin', 'https://evil.example').send({ email: account.email, password: PASSWORD }).expect(403);
  });

  it('the password hash never leaves the server, not even through a controller returning the entity', async () => {
    const account = await newStaff();
    const browser = agent();
    const response = await login(browser, { email: account.email, password: PASSWORD }).expect(200);
    expect(JSON.stringify(response.body)).not.toMatch(/passwordHash|scrypt/);
    const user = await browser.get('/session-probe/user').expect(200);
    expect(user.body.id).toBe(account.id);
    expect(JSON.stringify(user.body)).not.toMatch(/passwordHash|scrypt/);
  });

  it('login gives the browser a new session id (no fixation) and keeps what the app stored before', async () => {
    const account = await newStaff();
    const browser = agent();
    const anonymous = sessionCookieOf(await browser.get('/session-probe/remember').expect(200), platform);
    expect(anonymous).not.toBeNull();
    const loggedIn = sessionCookieOf(await login(browser, { email: account.email, password: PASSWORD }).expect(200), platform);
    expect(loggedIn).not.toBeNull();
    expect(loggedIn).not.toBe(anonymous);
    expect((await browser.get('/session-probe/cart').expect(200)).body).toEqual({ cart: ['book'] });

    // The planted (pre-login) id does not carry the login.
    await harness.http().get('/session-probe/whoami').set('Cookie', anonymous!).expect(401);
    await harness.http().get('/session-probe/whoami').set('Cookie', loggedIn!).expect(200);
  });

  it('POST /auth/local/logout ends the session; the old cookie no longer authenticates', async () => {
    const account = await newStaff();
    const browser = agent();
    const cookie = sessionCookieOf(await login(browser, { email: account.email, password: PASSWORD }).expect(200), platform)!;
    await browser.post('/auth/local/logout').set('Origin', ORIGIN).expect(204);
    await browser.get('/require/staff').expect(401);
    await harness.http().get('/me').set('Cookie', cookie).expect(401);
    // Logout is idempotent.
    await browser.post('/auth/local/logout').set('Origin', ORIGIN).expect(204);
  });

  it('logout from a foreign origin is refused (CSRF) and leaves the session alive', async () => {
    const account = await newStaff();
    const browser = agent();
    await login(browser, { email: account.email, password: PASSWORD }).expect(200);
    await browser.post('/auth/local/logout').set('Origin', 'https://evil.example').expect(403);
    await browser.get('/require/staff').expect(200);
  });

  it('a wrong password and an unknown account get the same generic 401, and no session', async () => {
    const account = await newStaff();
    const wrong = await login(agent(), { email: account.email, password: 'not the password' }).expect(401);
    const unknown = await login(agent(), { email: `nobody-${platform}@corp.example`, password: PASSWORD }).expect(401);
    const unknownName = await login(agent(), { username: `nobody${platform}`, password: PASSWORD }).expect(401);
    for (const response of [wrong, unknown, unknownName]) {
      expect(response.body).toEqual(UNAUTHORIZED);
      expect(sessionCookieOf(response, platform)).toBeNull();
    }
  });

  it('login from a foreign origin (or none) is refused with 403 before the password is checked; a malformed body is 400', async () => {
    const account = await newStaff();
    await agent().post('/auth/local/login').set('Origin', 'https://evil.example').send({ email: account.email, password: PASSWORD }).expect(403);
    await agent().post('/auth/local/login').send({ email: account.email, password: PASSWORD }).expect(403);
    await login(agent(), { email: account.email }).expect(400);
    await login(agent(), { password: PASSWORD }).expect(400);
    await login(agent(), { email: ['a'], password: PASSWORD }).expect(400);
    await login(agent(), { email: account.email, password: 'x'.repeat(2000) }).expect(400);
  });

  it('a Clerk token can never authenticate as a staff account, and a Clerk user with the staff email never takes it over', async () => {
    const account = await newStaff();
    const clerkTwin = harness.api.addUser({ email: account.email! });
    const token = harness.kit.mintSessionToken({ userId: clerkTwin.id });
    const viaBearer = await harness.http().get('/session-probe/whoami').set('Authorization', `Bearer ${token}`).expect(200);
    expect(viaBearer.body.user.clerkId).toBe(clerkTwin.id);
    expect(viaBearer.body.user.id).not.toBe(account.id);
    expect(viaBearer.body.user.email).toBeNull(); // the local account keeps its email
    await harness.http().get('/require/staff').set('Authorization', `Bearer ${token}`).expect(403);

    // The same through a cookie server session.
    const browser = agent();
    expect((await browser.get('/session-probe/whoami').set('Cookie', sessionTokenCookie(token)).expect(200)).body.user.id).not.toBe(account.id);
    await browser.get('/require/staff').expect(403);

    const [row] = await harness.dataSource.query(`SELECT "clerkId", "isStaff", email FROM clerk_users WHERE id = $1`, [account.id]);
    expect(row).toEqual({ clerkId: null, isStaff: true, email: account.email });
    // A token whose subject Clerk does not know reaches no row at all.
    await harness.http().get('/require/staff').set('Authorization', `Bearer ${harness.kit.mintSessionToken({ userId: `user_${account.id.replace(/-/g, '')}` })}`).expect(401);
  });

  it('a password change ends existing logins; the new password works', async () => {
    const account = await newStaff();
    const browser = agent();
    await login(browser, { email: account.email, password: PASSWORD }).expect(200);
    await staff.setPassword(account.id, 'a brand new passphrase');
    await browser.get('/require/staff').expect(401);
    await login(browser, { email: account.email, password: PASSWORD }).expect(401);
    await login(browser, { email: account.email, password: 'a brand new passphrase' }).expect(200);
    await browser.get('/require/staff').expect(200);
  });

  it('deactivating the account ends its login at the next request', async () => {
    const account = await newStaff();
    const browser = agent();
    await login(browser, { email: account.email, password: PASSWORD }).expect(200);
    await harness.dataSource.query(`UPDATE clerk_users SET "isActive" = false WHERE id = $1`, [account.id]);
    await browser.get('/require/staff').expect(401);
    await login(agent(), { email: account.email, password: PASSWORD }).expect(401);
  });

  it('a password login ends after localAuth.sessionMaxAgeSeconds (default 8 h)', async () => {
    const account = await newStaff();
    const browser = agent();
    await login(browser, { email: account.email, password: PASSWORD }).expect(200);
    await browser.get('/session-probe/age?seconds=28799').expect(200);
    await browser.get('/require/staff').expect(200);
    await browser.get('/session-probe/age?seconds=2').expect(200);
    await browser.get('/require/staff').expect(401);
  });
});
