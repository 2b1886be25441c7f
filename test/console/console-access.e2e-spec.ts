import { beforeAll, describe, expect, it } from '@jest/globals';
import { ClerkConsoleConfigurationError, ClerkConsoleModule } from '../../lib/console/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { withSessionMiddleware } from '../sessions/session-support.js';
import { ConsoleAccounts, migrateConsole, PASSWORD, type ConsoleUser } from './console-support.js';

const ORIGIN = 'http://localhost:3000';
const EVIL = 'https://evil.example';

describe.each(PLATFORMS)('staff console: who gets in (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    clerk: { sessions: true },
    localAuth: { enabled: true, maxFailuresPerAccount: 50, maxFailuresPerIp: 500 },
    configure: withSessionMiddleware(platform),
    controllers: [ProbeController],
    imports: [ClerkConsoleModule.forRoot()],
  });
  const accounts = () => new ConsoleAccounts(harness, `acc${platform.slice(0, 2)}`);
  let people: ConsoleAccounts;
  let member: ConsoleUser;
  let staff: ConsoleUser;
  let superuser: ConsoleUser;

  beforeAll(async () => {
    await migrateConsole(harness.dataSource);
    people = accounts();
    member = await people.clerkUser();
    staff = await people.clerkUser({ isStaff: true });
    superuser = await people.clerkUser({ isSuperuser: true });
  });

  const ROUTES = ['/clerk-console', '/clerk-console/console.js', '/clerk-console/api/users', `/clerk-console/api/webhook-events`, '/clerk-console/api/audit', '/clerk-console/api/organizations'];

  it('refuses anonymous requests with 401 on every route, the page included', async () => {
    for (const route of ROUTES) await harness.http().get(route).expect(401);
    await harness.http().patch(`/clerk-console/api/users/${member.row.id}`).set('Origin', ORIGIN).send({ isActive: false }).expect(401);
    await harness.http().post(`/clerk-console/api/users/${member.row.id}/ban`).set('Origin', ORIGIN).expect(401);
  });

  it('refuses a signed-in user who is not a superuser with 403 (staff too: the default access is superuser)', async () => {
    for (const route of ROUTES) {
      await harness.http().get(route).set('Authorization', member.bearer()).expect(403);
      await harness.http().get(route).set('Authorization', staff.bearer()).expect(403);
    }
    await harness.http().patch(`/clerk-console/api/users/${member.row.id}`).set('Authorization', staff.bearer()).set('Origin', ORIGIN).send({ isActive: false }).expect(403);
  });

  it('lets a Clerk superuser in: the page (with its CSP), its script and styles, and the API', async () => {
    const page = await harness.http().get('/clerk-console').set('Authorization', superuser.bearer()).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<title>Clerk console</title>');
    expect(page.text).toContain(`Signed in as <strong>${superuser.email}</strong>`);
    expect(page.text).toContain('data-api="/clerk-console/api"');
    expect(page.text).not.toMatch(/https?:\/\/(?!localhost)/); // nothing from elsewhere: works offline
    const script = await harness.http().get('/clerk-console/console.js').set('Authorization', superuser.bearer()).expect(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.text).toContain("fetch(API + path");
    await harness.http().get('/clerk-console/console.css').set('Authorization', superuser.bearer()).expect(200).expect('content-type', /^text\/css/);
    const users = await harness.http().get('/clerk-console/api/users').set('Authorization', superuser.bearer()).expect(200);
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([member.email, staff.email, superuser.email]));
  });

  it('refuses an unsafe request whose Origin is not one of authorizedParties, or that names none, with 403; the same request from the app passes', async () => {
    const patch = () => harness.http().patch(`/clerk-console/api/users/${member.row.id}`).set('Authorization', superuser.bearer());
    await patch().set('Origin', EVIL).send({ isStaff: false }).expect(403);
    await patch().send({ isStaff: false }).expect(403);
    await patch().set('Referer', `${EVIL}/page`).send({ isStaff: false }).expect(403);
    await harness.http().post(`/clerk-console/api/users/${member.row.id}/resync`).set('Authorization', superuser.bearer()).set('Origin', EVIL).expect(403);
    await patch().set('Origin', ORIGIN).send({ isStaff: false }).expect(200);
    await patch().set('Referer', `${ORIGIN}/clerk-console`).send({ isStaff: false }).expect(200);
  });

  it('works for a staff password login (localAuth) that is a superuser: page, API, changes audited under its name', async () => {
    const admin = await people.staffLogin(true);
    const browser = harness.agent();
    await browser.post('/auth/local/login').set('Origin', ORIGIN).send({ email: admin.email, password: PASSWORD }).expect(200);
    const page = await browser.get('/clerk-console').expect(200);
    expect(page.text).toContain('(local)');
    await browser.patch(`/clerk-console/api/users/${member.row.id}`).set('Origin', ORIGIN).send({ isStaff: true }).expect(200);
    await browser.patch(`/clerk-console/api/users/${member.row.id}`).set('Origin', EVIL).send({ isStaff: false }).expect(403);
    const audit = await browser.get(`/clerk-console/api/audit?userId=${member.row.id}`).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actor: admin.email, actorUserId: admin.id, action: 'update', before: { isStaff: false }, after: { isStaff: true } });
    await harness.dataSource.query(`UPDATE clerk_users SET "isStaff" = false WHERE id = $1`, [member.row.id]);
  });

  it('refuses a staff password login that is staff but not superuser (403)', async () => {
    const helper = await people.staffLogin(false);
    const other = harness.agent();
    await other.post('/auth/local/login').set('Origin', ORIGIN).send({ email: helper.email, password: PASSWORD }).expect(200);
    await other.get('/clerk-console/api/users').expect(403);
  });
});

describe.each(PLATFORMS)("staff console with access: 'staff' (%s)", (platform) => {
  const harness = useClerkTestApp({ platform, imports: [ClerkConsoleModule.forRoot({ access: 'staff', path: '/support' })] });
  let people: ConsoleAccounts;

  beforeAll(async () => {
    await migrateConsole(harness.dataSource);
    people = new ConsoleAccounts(harness, `stf${platform.slice(0, 2)}`);
  });

  it('lets staff in at the configured path; a staff member may deactivate a user but not touch a superuser or grant superuser', async () => {
    const member = await people.clerkUser();
    const staff = await people.clerkUser({ isStaff: true });
    const superuser = await people.clerkUser({ isSuperuser: true });
    await harness.http().get('/support/api/users').set('Authorization', member.bearer()).expect(403);
    await harness.http().get('/clerk-console/api/users').set('Authorization', staff.bearer()).expect(404);
    await harness.http().get('/support').set('Authorization', staff.bearer()).expect(200);
    const as = (who: typeof staff, id: string, body: object) => harness.http().patch(`/support/api/users/${id}`).set('Authorization', who.bearer()).set('Origin', ORIGIN).send(body);
    await as(staff, member.row.id, { isActive: false }).expect(200);
    await as(staff, member.row.id, { isActive: true }).expect(200);
    await as(staff, member.row.id, { isSuperuser: true }).expect(403);
    await as(staff, superuser.row.id, { isActive: false }).expect(403);
    await as(superuser, member.row.id, { isSuperuser: true }).expect(200);
  });

  it('refuses to boot without authorizedParties (the Origin check needs them) and refuses a malformed path or access', async () => {
    await expect(harness.startApp({ platform, clerk: { authorizedParties: [] }, imports: [ClerkConsoleModule.forRoot()] })).rejects.toThrow(
      'ClerkConsoleModule: option "authorizedParties" of ClerkUsersModule must name the origins',
    );
    for (const path of ['clerk-console', '/console/', '/a/:id', '/a b', '']) {
      expect(() => ClerkConsoleModule.forRoot({ path })).toThrow(ClerkConsoleConfigurationError);
    }
    expect(() => ClerkConsoleModule.forRoot({ access: 'everyone' as never })).toThrow('option "access" must be "superuser" or "staff"');
  });
});
