import { beforeAll, describe, expect, it } from '@jest/globals';
import { DocumentBuilder } from '@nestjs/swagger';
import { Column, Entity } from 'typeorm';
import { AbstractClerkUser, ClerkOrganizationInvitation, ClerkOrganizationsSync, OrganizationsModule } from '../../lib/index.js';
import { ClerkConsoleModule } from '../../lib/console/index.js';
import { createClerkSwaggerDocument } from '../../lib/swagger/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { ConsoleAccounts, setUpConsole, type ConsoleUser } from './console-support.js';

describe.each(PLATFORMS)('staff console: organizations, webhook deliveries, Swagger (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, controllers: [ProbeController], imports: [OrganizationsModule.forRoot(), ClerkConsoleModule.forRoot()] });
  let people: ConsoleAccounts;
  let admin: ConsoleUser;

  beforeAll(async () => {
    ({ people, admin } = await setUpConsole(harness, `rec${platform.slice(0, 2)}`));
  });
  const get = (path: string) => harness.http().get(`/clerk-console/api${path}`).set('Authorization', admin.bearer());

  it('lists and searches organizations; one shows its members with roles and its pending invitations; a user shows their memberships', async () => {
    const member = await people.clerkUser({}, { firstName: 'Barbara' });
    const acme = harness.api.addOrganization({ name: 'Acme Corp', slug: `acme-${platform}` });
    harness.api.addOrganization({ name: 'Globex', slug: `globex-${platform}` });
    harness.api.addMembership({ organizationId: acme.id, userId: member.clerkId, role: 'org:admin' });
    await harness.app.get(ClerkOrganizationsSync).run({ all: true, syncMembers: true });
    const list = (await get('/organizations?search=acm').expect(200)).body;
    expect(list.items).toEqual([expect.objectContaining({ clerkId: acme.id, name: 'Acme Corp', slug: `acme-${platform}`, membersCount: 1 })]);
    expect((await get('/organizations').expect(200)).body.items.map((o: { name: string }) => o.name)).toEqual(['Acme Corp', 'Globex']);
    const orgId = list.items[0].id;
    await harness.dataSource.getRepository(ClerkOrganizationInvitation).save([
      { clerkInvitationId: `orginv_p_${platform}`, organizationId: orgId, emailAddress: 'new@example.com', role: 'org:member', status: 'pending' },
      { clerkInvitationId: `orginv_a_${platform}`, organizationId: orgId, emailAddress: 'old@example.com', role: 'org:member', status: 'accepted' },
    ]);
    const detail = (await get(`/organizations/${orgId}`).expect(200)).body;
    expect(detail.organization).toMatchObject({ id: orgId, name: 'Acme Corp' });
    expect(detail.members).toEqual([expect.objectContaining({ userId: member.row.id, clerkUserId: member.clerkId, user: member.email, role: 'org:admin' })]);
    expect(detail.pendingInvitations).toEqual([expect.objectContaining({ emailAddress: 'new@example.com', role: 'org:member' })]);
    const user = (await get(`/users/${member.row.id}`).expect(200)).body;
    expect(user.memberships).toEqual([expect.objectContaining({ organizationId: orgId, name: 'Acme Corp', role: 'org:admin' })]);
    await get('/organizations/00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('lists webhook deliveries failures first, then the newest, with type, times, attempts and last error; filters; pages; counts the last 24 h', async () => {
    await harness.dataSource.query(`
      INSERT INTO clerk_webhook_events (svix_id, type, received_at, processed_at, attempts, last_error) VALUES
        ('msg_ok_old', 'user.updated', now() - interval '3 hours', now() - interval '3 hours', 1, NULL),
        ('msg_ok_new', 'user.created', now() - interval '1 hour', now() - interval '1 hour', 1, NULL),
        ('msg_failed', 'user.updated', now() - interval '2 hours', NULL, 3, 'relation "users" does not exist'),
        ('msg_refused', 'organization.created', now() - interval '30 minutes', NULL, 1, 'refused: missing id'),
        ('msg_ancient', 'user.deleted', now() - interval '3 days', now() - interval '3 days', 1, NULL)`);
    const page = (await get('/webhook-events').expect(200)).body;
    expect(page.items.map((e: { svixId: string }) => e.svixId)).toEqual(['msg_refused', 'msg_failed', 'msg_ok_new', 'msg_ok_old', 'msg_ancient']);
    expect(page.items[1]).toEqual({
      svixId: 'msg_failed',
      type: 'user.updated',
      outcome: 'failed',
      receivedAt: expect.any(String),
      processedAt: null,
      attempts: 3,
      lastError: 'relation "users" does not exist',
    });
    expect(page.last24h).toEqual([
      { type: 'organization.created', outcome: 'failed', count: 1 },
      { type: 'user.created', outcome: 'processed', count: 1 },
      { type: 'user.updated', outcome: 'failed', count: 1 },
      { type: 'user.updated', outcome: 'processed', count: 1 },
    ]);
    const ids = async (query: string) => (await get(`/webhook-events?${query}`).expect(200)).body.items.map((e: { svixId: string }) => e.svixId);
    expect(await ids('outcome=failed')).toEqual(['msg_refused', 'msg_failed']);
    expect(await ids('outcome=processed&type=user.updated')).toEqual(['msg_ok_old']);
    const first = (await get('/webhook-events?limit=2').expect(200)).body;
    const second = (await get(`/webhook-events?limit=2&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second.items.map((e: { svixId: string }) => e.svixId)).toEqual(['msg_ok_new', 'msg_ok_old']);
    expect(second.last24h).toBeNull();
    await get('/webhook-events?outcome=lost').expect(400);
  });

  it('documents the API for Swagger (tagged clerk-console; the page and its assets left out)', () => {
    const document = createClerkSwaggerDocument(harness.app, new DocumentBuilder().setTitle('Console').build());
    const paths = Object.keys(document.paths).filter((path) => path.startsWith('/clerk-console'));
    expect(paths.sort()).toEqual(
      [
        '/clerk-console/api/audit',
        '/clerk-console/api/organizations',
        '/clerk-console/api/organizations/{id}',
        '/clerk-console/api/users',
        '/clerk-console/api/users/{id}',
        '/clerk-console/api/users/{id}/ban',
        '/clerk-console/api/users/{id}/resync',
        '/clerk-console/api/users/{id}/revoke-sessions',
        '/clerk-console/api/users/{id}/sign-in-link',
        '/clerk-console/api/users/{id}/unban',
        '/clerk-console/api/webhook-events',
      ].sort(),
    );
    const list = document.paths['/clerk-console/api/users'].get!;
    expect(list.tags).toEqual(['clerk-console']);
    expect(list.security).toEqual([{ clerk: [] }]);
    expect((list.parameters ?? []).map((p) => ('name' in p ? p.name : ''))).toEqual(
      expect.arrayContaining(['search', 'active', 'staff', 'superuser', 'hasClerkId', 'cursor', 'limit']),
    );
    expect(document.paths['/clerk-console/api/users/{id}'].patch!.requestBody).toBeDefined();
  });
});

/** An app's own user table with columns of its own. */
@Entity('console_app_users')
class ConsoleAppUser extends AbstractClerkUser {
  @Column({ type: 'varchar', length: 40, default: 'free' })
  plan: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  favoriteColor: string | null;
}

describe.each(PLATFORMS)("staff console on the app's own user entity (%s)", (platform) => {
  // synchronize: the entities build the schema (the audit table too), as in development.
  const harness = useClerkTestApp({ platform, userEntity: ConsoleAppUser, database: { synchronize: true }, imports: [ClerkConsoleModule.forRoot()] });

  it("lists the app's table and shows its extra columns in a user's detail", async () => {
    const people = new ConsoleAccounts(harness, `own${platform.slice(0, 2)}`);
    const admin = await people.clerkUser({ isSuperuser: true });
    const member = await people.clerkUser();
    await harness.dataSource.query(`UPDATE console_app_users SET plan = 'pro', "favoriteColor" = 'teal' WHERE id = $1`, [member.row.id]);
    const get = (path: string) => harness.http().get(`/clerk-console/api${path}`).set('Authorization', admin.bearer());
    expect((await get('/users').expect(200)).body.items.map((u: { id: string }) => u.id)).toEqual([member.row.id, admin.row.id]);
    const detail = (await get(`/users/${member.row.id}`).expect(200)).body;
    expect(detail.extraColumns.sort()).toEqual(['favoriteColor', 'plan']);
    expect(detail.user).toMatchObject({ plan: 'pro', favoriteColor: 'teal', email: member.email });
    await harness.http().patch(`/clerk-console/api/users/${member.row.id}`).set('Authorization', admin.bearer()).set('Origin', 'http://localhost:3000').send({ isStaff: true }).expect(200);
    expect(await harness.dataSource.query(`SELECT action, after FROM clerk_console_audit`)).toEqual([{ action: 'update', after: { isStaff: true } }]);
  });
});
