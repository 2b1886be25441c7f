import { beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { OnClerkEvent, OrganizationsModule, OrganizationsService, type ClerkWebhookEvent } from '../../lib/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

@Injectable()
class CatalogueListener {
  readonly seen: string[] = [];
  @OnClerkEvent(['organizationDomain.created', 'role.created', 'permission.updated'])
  onCatalogue(event: ClerkWebhookEvent): void {
    this.seen.push(event.type);
  }
}

describe.each(PLATFORMS)('OrganizationsModule (%s)', (platform) => {
  const harness = useClerkTestApp({
    platform,
    fakeApi: false,
    clerk: { secretKey: undefined },
    imports: [OrganizationsModule.forRoot({ allowOrganizationHeader: true })],
    providers: [CatalogueListener],
  });

  const send = (type: string, data: unknown) => deliver(harness.app, harness.kit.signWebhook(type, data)).expect(200);
  const org = async (clerkId: string) =>
    (await harness.dataSource.query(`SELECT name, slug, "isActive", "membersCount", "pendingInvitationsCount", "clerkDeletedAt" IS NOT NULL AS deleted FROM clerk_organizations WHERE "clerkId" = $1`, [clerkId]))[0];
  const byUser = (a: { clerkUserId: string }, b: { clerkUserId: string }) => (a.clerkUserId < b.clerkUserId ? -1 : 1);
  const activeMemberships = async (clerkOrgId: string) =>
    ((await harness.dataSource.query(`SELECT "clerkUserId", role, permissions FROM clerk_organization_memberships WHERE "clerkOrganizationId" = $1 AND "clerkDeletedAt" IS NULL`, [clerkOrgId])) as Array<{ clerkUserId: string }>).sort(byUser);
  const get = (path: string, token: string, headers: Record<string, string> = {}) =>
    harness.http().get(path).set({ Authorization: `Bearer ${token}`, ...headers }).expect(200);

  describe('organization events', () => {
    it('created, updated, an older update skipped, deleted (final)', async () => {
      const acme = buildClerkOrganization({ name: 'Acme', slug: 'acme', updatedAt: 1_000 });
      await send('organization.created', acme);
      expect(await org(acme.id)).toMatchObject({ name: 'Acme', slug: 'acme', isActive: true });
      await send('organization.updated', { ...acme, name: 'Acme Corp', updated_at: 3_000 });
      await send('organization.updated', { ...acme, name: 'Acme (old)', updated_at: 2_000 });
      expect(await org(acme.id)).toMatchObject({ name: 'Acme Corp' });
      await send('organization.deleted', { object: 'organization', id: acme.id, deleted: true });
      await send('organization.updated', { ...acme, name: 'Zombie', updated_at: 9_000 });
      expect(await org(acme.id)).toMatchObject({ name: 'Acme Corp', isActive: false, deleted: true });
    });
  });

  describe('membership events', () => {
    it('a membership creates missing org and user rows, keeps the count right, and deletion removes it', async () => {
      const globex = buildClerkOrganization({ name: 'Globex' });
      const alice = buildClerkUser({ firstName: 'Alice' });
      const bob = buildClerkUser({ firstName: 'Bob' });
      const aliceIn = buildClerkMembership({ organization: globex, user: alice, role: 'org:admin', permissions: ['org:posts:manage'] });
      const bobIn = buildClerkMembership({ organization: globex, user: bob });
      await send('organizationMembership.created', aliceIn);
      await send('organizationMembership.created', bobIn);
      expect(await org(globex.id)).toMatchObject({ name: 'Globex', membersCount: 2 });
      expect(await activeMemberships(globex.id)).toEqual(
        [
          { clerkUserId: alice.id, role: 'org:admin', permissions: ['org:posts:manage'] },
          { clerkUserId: bob.id, role: 'org:member', permissions: [] },
        ].sort(byUser),
      );
      expect(await harness.dataSource.query(`SELECT "firstName" FROM clerk_users WHERE "clerkId" = $1`, [alice.id])).toEqual([{ firstName: 'Alice' }]);
      await send('organizationMembership.deleted', bobIn);
      expect(await org(globex.id)).toMatchObject({ membersCount: 1 });
      expect(await activeMemberships(globex.id)).toHaveLength(1);
    });

    it('an updated for an unknown membership creates it (a missed created is repaired); an older update is skipped', async () => {
      const initech = buildClerkOrganization();
      const user = buildClerkUser();
      const membership = buildClerkMembership({ organization: initech, user, role: 'org:admin', updatedAt: 2_000 });
      await send('organizationMembership.updated', membership);
      await send('organizationMembership.created', { ...membership, role: 'org:member', updated_at: 1_000 });
      expect(await activeMemberships(initech.id)).toEqual([{ clerkUserId: user.id, role: 'org:admin', permissions: [] }]);
      expect(await org(initech.id)).toMatchObject({ membersCount: 1 });
    });

    it('a deletion delivered before the creation is final', async () => {
      const hooli = buildClerkOrganization();
      const membership = buildClerkMembership({ organization: hooli, user: buildClerkUser() });
      await send('organizationMembership.deleted', membership);
      await send('organizationMembership.created', membership);
      expect(await activeMemberships(hooli.id)).toEqual([]);
      expect(await org(hooli.id)).toMatchObject({ membersCount: 0 });
    });

    it('user.deleted removes that user\'s memberships; organization.deleted removes all of its memberships', async () => {
      const umbrella = buildClerkOrganization();
      const leaving = buildClerkUser();
      const staying = buildClerkUser();
      await send('organizationMembership.created', buildClerkMembership({ organization: umbrella, user: leaving }));
      await send('organizationMembership.created', buildClerkMembership({ organization: umbrella, user: staying }));
      await send('user.deleted', { object: 'user', id: leaving.id, deleted: true });
      expect(await activeMemberships(umbrella.id)).toEqual([expect.objectContaining({ clerkUserId: staying.id })]);
      expect(await org(umbrella.id)).toMatchObject({ membersCount: 1 });
      await send('organization.deleted', { object: 'organization', id: umbrella.id, deleted: true });
      expect(await activeMemberships(umbrella.id)).toEqual([]);
    });
  });

  describe('invitation events', () => {
    it('created → pending, accepted/revoked settle it, a late created never re-opens it; the pending count follows', async () => {
      const stark = buildClerkOrganization();
      await send('organization.created', stark);
      const invitation = { object: 'organization_invitation', id: 'orginv_stark1', email_address: 'Pepper@Example.com', role: 'org:member', organization_id: stark.id, status: 'pending', created_at: 1, updated_at: 1 };
      const second = { ...invitation, id: 'orginv_stark2', email_address: 'happy@example.com' };
      await send('organizationInvitation.created', invitation);
      await send('organizationInvitation.created', second);
      expect(await org(stark.id)).toMatchObject({ pendingInvitationsCount: 2 });
      await send('organizationInvitation.accepted', { ...invitation, status: 'accepted', updated_at: 2 });
      await send('organizationInvitation.revoked', { ...second, status: 'revoked', updated_at: 2 });
      await send('organizationInvitation.created', invitation);
      const rows = await harness.dataSource.query(`SELECT "clerkInvitationId", "emailAddress", status FROM clerk_organization_invitations WHERE "clerkInvitationId" LIKE 'orginv_stark%' ORDER BY 1`);
      expect(rows).toEqual([
        { clerkInvitationId: 'orginv_stark1', emailAddress: 'pepper@example.com', status: 'accepted' },
        { clerkInvitationId: 'orginv_stark2', emailAddress: 'happy@example.com', status: 'revoked' },
      ]);
      expect(await org(stark.id)).toMatchObject({ pendingInvitationsCount: 0 });
    });

    const acceptedBy = async (clerkInvitationId: string) =>
      (await harness.dataSource.query(`SELECT status, "acceptedClerkUserId", "acceptedUserId" FROM clerk_organization_invitations WHERE "clerkInvitationId" = $1`, [clerkInvitationId]))[0];
    const localUserId = async (clerkUserId: string): Promise<string> =>
      (await harness.dataSource.query(`SELECT id FROM clerk_users WHERE "clerkId" = $1`, [clerkUserId]))[0]?.id;

    it('accepted links the accepting user; a late created, a re-sent accepted without user_id or a revoked keep the link', async () => {
      const wayne = buildClerkOrganization();
      const lucius = buildClerkUser({ firstName: 'Lucius' });
      await send('user.created', lucius);
      const invitation = { object: 'organization_invitation', id: 'orginv_wayne1', email_address: 'lucius@example.com', role: 'org:member', organization_id: wayne.id, status: 'pending', created_at: 1, updated_at: 1 };
      await send('organizationInvitation.created', { ...invitation, user_id: lucius.id }); // a pending invitation never links, whatever it carries
      expect(await acceptedBy(invitation.id)).toEqual({ status: 'pending', acceptedClerkUserId: null, acceptedUserId: null });
      await send('organizationInvitation.accepted', { ...invitation, status: 'accepted', user_id: lucius.id, updated_at: 2 });
      const linked = { status: 'accepted', acceptedClerkUserId: lucius.id, acceptedUserId: await localUserId(lucius.id) };
      expect(linked.acceptedUserId).toEqual(expect.any(String));
      expect(await acceptedBy(invitation.id)).toEqual(linked);
      await send('organizationInvitation.created', invitation);
      await send('organizationInvitation.accepted', { ...invitation, status: 'accepted', updated_at: 3 });
      expect(await acceptedBy(invitation.id)).toEqual(linked);
      await send('organizationInvitation.revoked', { ...invitation, status: 'revoked', updated_at: 4 });
      expect(await acceptedBy(invitation.id)).toEqual({ ...linked, status: 'revoked' });
      expect(await org(wayne.id)).toMatchObject({ pendingInvitationsCount: 0 });
    });

    it('accepted before the user is mirrored creates a minimal user row, which the later user.created fills in', async () => {
      const oscorp = buildClerkOrganization();
      const norman = buildClerkUser({ firstName: 'Norman' });
      const invitation = { object: 'organization_invitation', id: 'orginv_oscorp1', email_address: 'norman@example.com', role: 'org:admin', organization_id: oscorp.id, status: 'accepted', user_id: norman.id, created_at: 1, updated_at: 2 };
      await send('organizationInvitation.accepted', invitation);
      const minimalId = await localUserId(norman.id);
      expect(await acceptedBy(invitation.id)).toEqual({ status: 'accepted', acceptedClerkUserId: norman.id, acceptedUserId: minimalId });
      await send('user.created', norman);
      expect(await harness.dataSource.query(`SELECT id, "firstName" FROM clerk_users WHERE "clerkId" = $1`, [norman.id])).toEqual([{ id: minimalId, firstName: 'Norman' }]);
    });

    it('an accepted payload without a usable user_id leaves the link null (and creates no user)', async () => {
      const cyberdyne = buildClerkOrganization();
      const invitation = { object: 'organization_invitation', id: 'orginv_cyber1', email_address: 'miles@example.com', role: 'org:member', organization_id: cyberdyne.id, status: 'accepted', created_at: 1, updated_at: 2 };
      const usersBefore = await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users`);
      await send('organizationInvitation.accepted', invitation);
      await send('organizationInvitation.accepted', { ...invitation, id: 'orginv_cyber2', user_id: 'not-a-clerk-id' });
      expect(await acceptedBy('orginv_cyber1')).toEqual({ status: 'accepted', acceptedClerkUserId: null, acceptedUserId: null });
      expect(await acceptedBy('orginv_cyber2')).toEqual({ status: 'accepted', acceptedClerkUserId: null, acceptedUserId: null });
      expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_users`)).toEqual(usersBefore);
    });
  });

  it('a membership without its organization or user is bad input: 400 and nothing written', async () => {
    const delivery = harness.kit.signWebhook('organizationMembership.created', { object: 'organization_membership', id: 'orgmem_broken', role: 'org:admin' });
    await deliver(harness.app, delivery).expect(400);
    expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM clerk_organization_memberships WHERE "clerkMembershipId" = 'orgmem_broken'`)).toEqual([{ n: 0 }]);
  });

  it('organizationDomain.*, role.* and permission.* are acknowledged and reach @OnClerkEvent handlers', async () => {
    await send('organizationDomain.created', { object: 'organization_domain', id: 'orgdmn_1', organization_id: 'org_x', name: 'example.com' });
    await send('role.created', { object: 'role', id: 'role_1', key: 'org:content_manager', permissions: [] });
    await send('permission.updated', { object: 'permission', id: 'perm_1', key: 'org:posts:create' });
    expect(harness.app.get(CatalogueListener).seen).toEqual(['organizationDomain.created', 'role.created', 'permission.updated']);
  });

  describe('request.organization', () => {
    const wayne = buildClerkOrganization({ name: 'Wayne' });
    const lex = buildClerkOrganization({ name: 'LexCorp' });
    const bruce = buildClerkUser();
    const clark = buildClerkUser();
    let bruceInWayne: ReturnType<typeof buildClerkMembership>;

    beforeAll(async () => {
      bruceInWayne = buildClerkMembership({ organization: wayne, user: bruce, role: 'org:admin' });
      await send('organizationMembership.created', bruceInWayne);
      await send('organizationMembership.created', buildClerkMembership({ organization: lex, user: bruce }));
      await send('organizationMembership.created', buildClerkMembership({ organization: lex, user: clark }));
    });

    it('@CurrentOrg({ entity: true }) is the local org of the token\'s active org for a recorded member, served from cache afterwards', async () => {
      const token = harness.kit.mintSessionToken({ userId: bruce.id, org: { id: wayne.id, slug: wayne.slug as string, role: 'admin' } });
      expect((await get('/org-entity', token)).body).toEqual({ organization: { clerkId: wayne.id, name: 'Wayne' } });
      harness.queries.reset();
      expect((await get('/org-entity', token)).body).toEqual({ organization: { clerkId: wayne.id, name: 'Wayne' } });
      expect(harness.queries.count).toBe(0);
    });

    it('an org switch in a new token takes effect on the next request', async () => {
      const inWayne = harness.kit.mintSessionToken({ userId: bruce.id, org: { id: wayne.id, role: 'admin' } });
      const inLex = harness.kit.mintSessionToken({ userId: bruce.id, org: { id: lex.id, role: 'member' } });
      expect((await get('/org-entity', inWayne)).body.organization.clerkId).toBe(wayne.id);
      expect((await get('/org-entity', inLex)).body.organization.clerkId).toBe(lex.id);
      expect((await get('/org', inLex)).body.org).toMatchObject({ id: lex.id, role: 'org:member' });
    });

    it('a token org without a recorded membership gives no entity', async () => {
      const token = harness.kit.mintSessionToken({ userId: clark.id, org: { id: wayne.id, role: 'admin' } });
      expect((await get('/org-entity', token)).body).toEqual({ organization: null });
    });

    it('X-Organization-Id (enabled here) selects only an org the user is an active member of', async () => {
      const clarkNoOrg = harness.kit.mintSessionToken({ userId: clark.id });
      expect((await get('/org-entity', clarkNoOrg, { 'X-Organization-Id': lex.id })).body).toEqual({ organization: { clerkId: lex.id, name: 'LexCorp' } });
      expect((await get('/org-entity', clarkNoOrg, { 'X-Organization-Id': wayne.id })).body).toEqual({ organization: null });
      expect((await get('/org-entity', clarkNoOrg, { 'X-Organization-Id': 'not-an-org' })).body).toEqual({ organization: null });
    });

    it('a membership deletion takes effect on the next request (caches invalidated)', async () => {
      const token = harness.kit.mintSessionToken({ userId: bruce.id, org: { id: wayne.id, role: 'admin' } });
      expect((await get('/org-entity', token)).body.organization).not.toBeNull();
      await send('organizationMembership.deleted', bruceInWayne);
      expect((await get('/org-entity', token)).body).toEqual({ organization: null });
    });

    it('OrganizationsService lists members and memberships', async () => {
      const service = harness.app.get(OrganizationsService);
      expect((await service.membersOf(lex.id)).map((m) => m.clerkUserId).sort()).toEqual([bruce.id, clark.id].sort());
      expect((await service.membershipsOfUser(bruce.id)).map((m) => m.clerkOrganizationId)).toEqual([lex.id]);
      expect((await service.findByClerkId(lex.id))?.membersCount).toBe(2);
    });
  });

  describe.each([1, 2] as const)('@RequireOrgRole and @RequireOrgPermission with v%s tokens', (version) => {
    const userId = 'user_orgguard000000000000000001';
    it.each([
      ['/require/admin', { role: 'admin' }, 200],
      ['/require/admin', { role: 'member' }, 403],
      ['/require/posts', { role: 'member', permissions: ['org:posts:read', 'org:posts:manage'] }, 200],
      ['/require/posts', { role: 'admin', permissions: ['org:posts:read'] }, 403],
    ])('%s %j → %s', async (path, orgInput, status) => {
      const token = harness.kit.mintSessionToken({ userId, version, org: { id: 'org_guarded', ...orgInput } });
      await harness.http().get(path).set('Authorization', `Bearer ${token}`).expect(status);
    });
  });
});

describe.each(PLATFORMS)('OrganizationsModule without the header option (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined }, imports: [OrganizationsModule.forRoot()] });

  it('ignores X-Organization-Id: the token is the only source of the active org', async () => {
    const corp = buildClerkOrganization();
    const user = buildClerkUser();
    await deliver(harness.app, harness.kit.signWebhook('organizationMembership.created', buildClerkMembership({ organization: corp, user }))).expect(200);
    const token = harness.kit.mintSessionToken({ userId: user.id });
    const response = await harness.http().get('/org-entity').set({ Authorization: `Bearer ${token}`, 'X-Organization-Id': corp.id }).expect(200);
    expect(response.body).toEqual({ organization: null });
  });
});
