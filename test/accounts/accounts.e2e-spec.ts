import { beforeEach, describe, expect, it } from '@jest/globals';
import { ClerkAccountsService, ClerkOrganization, ClerkOrganizationInvitation, ClerkOrganizationMembership, ClerkUser, OrganizationsModule } from '../../lib/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { ProbeController } from '../support/test.controllers.js';
import { deliver } from '../support/webhook-client.js';
import { AccountsTestController } from './accounts-test.controller.js';
import { calls, localRow, rowVersion } from './support.js';

/** Every `ClerkAccountsService` method, called over HTTP by an app route, against the kit's fake Backend API. */
describe('ClerkAccountsService', () => {
  const suite = useClerkTestApp({ controllers: [AccountsTestController, ProbeController], imports: [OrganizationsModule.forRoot()] });
  beforeEach(() => suite.api.clearRequests());

  const row = (clerkId: string) => localRow(suite.dataSource, clerkId);
  const bearer = (userId: string, sessionId?: string) => `Bearer ${suite.kit.mintSessionToken({ userId, sessionId })}`;

  describe('createUser', () => {
    it('creates the Clerk user and its local row at once, through the one mapping', async () => {
      const response = await suite.http()
        .post('/accounts/users')
        .send({ email: 'Ada@Example.com', password: 'correct horse battery', firstName: 'Ada', lastName: 'Lovelace', username: 'ada_l', externalId: 'legacy-1', publicMetadata: { plan: 'pro' }, privateMetadata: { stripe: 'cus_1' } })
        .expect(201);
      expect(response.body).toMatchObject({ created: true, clerkUser: { username: 'ada_l', externalId: 'legacy-1', privateMetadata: { stripe: 'cus_1' } } });
      const clerkId: string = response.body.clerkUser.id;
      expect(response.body.user).toMatchObject({ clerkId, email: 'ada@example.com', username: 'ada_l', firstName: 'Ada', lastName: 'Lovelace', isActive: true, publicMetadata: { plan: 'pro' } });
      expect(await row(clerkId)).toMatchObject({ email: 'ada@example.com', publicMetadata: { plan: 'pro' } });
      expect(suite.api.getUserCredentials(clerkId)).toEqual({ kind: 'plaintext' });
      expect(calls(suite.api)).toEqual(['POST /v1/users']);
    });

    it('without a password creates a passwordless user (skip_password_requirement); a digest is passed through with its hasher', async () => {
      const passwordless = await suite.http().post('/accounts/users').send({ email: 'nopass@example.com' }).expect(201);
      expect(suite.api.getUserCredentials(passwordless.body.clerkUser.id)).toEqual({ kind: 'none' });

      const digest = '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW';
      const hashed = await suite.http().post('/accounts/users').send({ email: 'hashed@example.com', passwordDigest: digest, passwordHasher: 'bcrypt' }).expect(201);
      expect(suite.api.getUserCredentials(hashed.body.clerkUser.id)).toEqual({ kind: 'digest', passwordDigest: digest, passwordHasher: 'bcrypt' });

      const halfDigest = await suite.http().post('/accounts/users').send({ email: 'half@example.com', passwordDigest: digest }).expect(400);
      expect(halfDigest.body.message).toMatch(/passwordDigest and passwordHasher go together/);
    });

    it('an email Clerk already has gives created: false and that user (found by email), with its local row', async () => {
      const existing = suite.api.addUser({ email: 'known@example.com', firstName: 'Known' });
      suite.api.clearRequests();
      const response = await suite.http().post('/accounts/users').send({ email: 'KNOWN@example.com', firstName: 'Other' }).expect(201);
      expect(response.body).toMatchObject({ created: false, clerkUser: { id: existing.id }, user: { clerkId: existing.id, firstName: 'Known' } });
      expect(suite.api.listUsers().filter((user) => user.id === existing.id || user.first_name === 'Other')).toHaveLength(1);
      expect(calls(suite.api)).toEqual(['POST /v1/users', 'GET /v1/users', 'GET /v1/users/count']);
    });

    it('autoUsername derives the name from the email and tries another while Clerk answers the duplicate-username error', async () => {
      suite.api.addUser({ email: 'grace-owner@example.com', username: 'grace_hopper' });
      suite.api.clearRequests();
      const response = await suite.http().post('/accounts/users').send({ email: 'Grace.Hopper@example.com', autoUsername: true }).expect(201);
      expect(response.body.clerkUser.username).toMatch(/^grace_hopper_[0-9a-z]{6}$/);
      expect(response.body.user.username).toBe(response.body.clerkUser.username);
      expect(calls(suite.api)).toEqual(['POST /v1/users', 'POST /v1/users']);
    });

    it('autoUsername gives up after 5 attempts, and never retries on any other error', async () => {
      // Five refusals: a sixth attempt would succeed, so the 502 shows there is none.
      suite.api.failNext({ status: 422, code: 'form_identifier_exists', paramName: 'username', times: 5, pathPrefix: '/v1/users' });
      const exhausted = await suite.http().post('/accounts/users').send({ email: 'unlucky@example.com', autoUsername: true }).expect(502);
      expect(exhausted.body).toMatchObject({ operation: 'createUser', status: 422, code: 'form_identifier_exists', paramName: 'username' });
      expect(calls(suite.api)).toEqual(Array(5).fill('POST /v1/users'));

      suite.api.clearRequests();
      suite.api.failNext({ status: 422, code: 'form_password_pwned', paramName: 'password', pathPrefix: '/v1/users' });
      const pwned = await suite.http().post('/accounts/users').send({ email: 'pwned@example.com', password: 'password123', autoUsername: true }).expect(502);
      expect(pwned.body).toMatchObject({ status: 422, code: 'form_password_pwned', paramName: 'password' });
      expect(calls(suite.api)).toEqual(['POST /v1/users']);

      suite.api.clearRequests();
      suite.api.failNext({ status: 422, code: 'form_identifier_exists', paramName: 'username', times: 1, pathPrefix: '/v1/users' });
      await suite.http().post('/accounts/users').send({ email: 'explicit@example.com', username: 'explicit_name' }).expect(502);
      expect(calls(suite.api)).toEqual(['POST /v1/users']);
      expect(suite.api.listUsers().map((user) => user.username)).not.toContain('explicit_name');
    });

    it('honours a 429 (waits Retry-After, then succeeds) and reports one it cannot outwait as ClerkApiError 429', async () => {
      suite.api.failNext({ status: 429, retryAfterSeconds: 1, pathPrefix: '/v1/users' });
      const response = await suite.http().post('/accounts/users').send({ email: 'limited@example.com' }).expect(201);
      expect(calls(suite.api)).toEqual(['POST /v1/users', 'POST /v1/users']);
      expect(await row(response.body.clerkUser.id)).not.toBeNull();

      suite.api.failNext({ status: 429, retryAfterSeconds: 0, times: 4, pathPrefix: '/v1/users' });
      const refused = await suite.http().post('/accounts/users').send({ email: 'still-limited@example.com' }).expect(502);
      expect(refused.body).toMatchObject({ operation: 'createUser', status: 429, code: 'too_many_requests' });
      expect(await suite.dataSource.getRepository(ClerkUser).findOneBy({ email: 'still-limited@example.com' })).toBeNull();
    });
  });

  it('the README\'s offline onboarding example runs as written', async () => {
    const api = suite.api;
    api.addUser({ email: 'taken@example.com' });
    api.failNext({ status: 429, retryAfterSeconds: 1, pathPrefix: '/v1/users' });
    const { created, clerkUser } = await suite.app.get(ClerkAccountsService).createUser({ email: 'new@example.com' });
    expect(created).toBe(true);
    expect(api.getUserCredentials(clerkUser.id)).toEqual({ kind: 'none' });
    expect((await suite.app.get(ClerkAccountsService).createUser({ email: 'TAKEN@example.com' })).created).toBe(false);
  });

  describe('findClerkUserByEmail', () => {
    it('finds by primary or secondary address, case-insensitively; null when Clerk has none', async () => {
      const user = suite.api.addUser({ email: 'primary.find@example.com' });
      suite.api.updateUser(user.id, { email_addresses: [...(user.email_addresses ?? []), { ...user.email_addresses![0], id: 'idn_second', email_address: 'second.find@example.com' }] });
      for (const email of ['PRIMARY.find@example.com', 'second.FIND@example.com']) {
        expect((await suite.http().get(`/accounts/users/by-email/${encodeURIComponent(email)}`).expect(200)).body.clerkUser).toMatchObject({ id: user.id });
      }
      expect((await suite.http().get('/accounts/users/by-email/nobody%40example.com').expect(200)).body).toEqual({ clerkUser: null });
    });
  });

  describe('sign-in links', () => {
    it('createSignInLink puts Clerk\'s ticket on redirectUrl (other parameters kept), default lifetime 7200 s', async () => {
      const user = suite.api.addUser();
      const before = Date.now();
      const response = await suite.http().post(`/accounts/users/${user.id}/sign-in-link`).send({ redirectUrl: 'https://app.example.com/welcome?from=support' }).expect(201);
      const [token] = suite.api.listSignInTokens().filter((t) => t.user_id === user.id);
      expect(token).toMatchObject({ expires_in_seconds: 7200, status: 'pending' });
      expect(response.body.token).toBe(token.token);
      const url = new URL(response.body.url);
      expect(`${url.origin}${url.pathname}`).toBe('https://app.example.com/welcome');
      expect(url.searchParams.get('from')).toBe('support');
      expect(url.searchParams.get('__clerk_ticket')).toBe(token.token);
      const expiresAt = Date.parse(response.body.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 7200_000);
      expect(expiresAt).toBe(token.created_at + 7200_000);
    });

    it('takes a local row as the user, passes expiresInSeconds, and refuses a relative redirectUrl before calling Clerk', async () => {
      const clerkUser = suite.api.addUser();
      await suite.http().get('/me').set('Authorization', bearer(clerkUser.id)).expect(200);
      const local = (await row(clerkUser.id))!;
      await suite.http().post(`/accounts/users/${local.id}/sign-in-link`).send({ redirectUrl: 'https://app.example.com/', expiresInSeconds: 600 }).expect(201);
      expect(suite.api.listSignInTokens().find((t) => t.user_id === clerkUser.id)).toMatchObject({ expires_in_seconds: 600 });

      suite.api.clearRequests();
      const relative = await suite.http().post(`/accounts/users/${clerkUser.id}/sign-in-link`).send({ redirectUrl: '/welcome' }).expect(400);
      expect(relative.body.message).toMatch(/redirectUrl must be an absolute URL/);
      expect(calls(suite.api)).toEqual([]);
    });

    it('a Clerk user id Clerk does not know is ClerkApiError 404 resource_not_found', async () => {
      const response = await suite.http().post('/accounts/users/user_2unknown000000000000000000/sign-in-link').send({ redirectUrl: 'https://app.example.com/' }).expect(502);
      expect(response.body).toEqual({ error: 'ClerkApiError', operation: 'createSignInLink', status: 404, code: 'resource_not_found', paramName: null, retryAfterSeconds: null });
    });

    it('provisionAccessLink creates the user passwordless (or finds them) and returns a link', async () => {
      const first = await suite.http().post('/accounts/access-links').send({ email: 'onboard@example.com', redirectUrl: 'https://app.example.com/start', options: { firstName: 'On' } }).expect(201);
      expect(first.body).toMatchObject({ created: true, clerkUserId: expect.stringMatching(/^user_/) });
      expect(new URL(first.body.url).searchParams.get('__clerk_ticket')).toEqual(expect.any(String));
      expect(suite.api.getUserCredentials(first.body.clerkUserId)).toEqual({ kind: 'none' });
      expect(await row(first.body.clerkUserId)).toMatchObject({ email: 'onboard@example.com', firstName: 'On' });

      const again = await suite.http().post('/accounts/access-links').send({ email: 'onboard@example.com', redirectUrl: 'https://app.example.com/start' }).expect(201);
      expect(again.body).toMatchObject({ created: false, clerkUserId: first.body.clerkUserId });
      expect(again.body.url).not.toBe(first.body.url);
    });
  });

  describe('invitations', () => {
    it('inviteUser sends the options to Clerk; revokeInvitation revokes; a second revocation is a ClerkApiError', async () => {
      const invited = await suite.http().post('/accounts/invitations').send({ email: 'invitee@example.com', redirectUrl: 'https://app.example.com/join', publicMetadata: { team: 'ops' }, notify: false }).expect(201);
      expect(invited.body).toMatchObject({ status: 'pending', emailAddress: 'invitee@example.com', id: expect.stringMatching(/^inv_/) });
      expect(suite.api.listInvitations().find((i) => i.id === invited.body.id)).toMatchObject({ notify: false, redirect_url: 'https://app.example.com/join', public_metadata: { team: 'ops' } });

      expect((await suite.http().post(`/accounts/invitations/${invited.body.id}/revoke`).expect(200)).body).toMatchObject({ status: 'revoked', revoked: true });
      expect((await suite.http().post(`/accounts/invitations/${invited.body.id}/revoke`).expect(502)).body).toMatchObject({ operation: 'revokeInvitation', status: 422 });
    });

    it('inviting an email Clerk has is refused with form_identifier_exists', async () => {
      suite.api.addUser({ email: 'member-already@example.com' });
      const response = await suite.http().post('/accounts/invitations').send({ email: 'member-already@example.com' }).expect(502);
      expect(response.body).toMatchObject({ operation: 'inviteUser', status: 422, code: 'form_identifier_exists', paramName: 'email_address' });
    });

    it('inviteToOrganization writes the local invitation row at once (inviter linked); revoking marks it revoked', async () => {
      const organization = suite.api.addOrganization({ name: 'Acme' });
      const inviter = suite.api.addUser({ email: 'inviter@example.com' });
      await suite.http().get('/me').set('Authorization', bearer(inviter.id)).expect(200);
      const invited = await suite.http()
        .post(`/accounts/organizations/${organization.id}/invitations`)
        .send({ email: 'New.Member@example.com', role: 'org:member', inviterUserId: inviter.id })
        .expect(201);
      expect(invited.body).toMatchObject({ status: 'pending', role: 'org:member', organizationId: organization.id });
      const invitations = suite.dataSource.getRepository(ClerkOrganizationInvitation);
      const local = await invitations.findOneByOrFail({ clerkInvitationId: invited.body.id });
      expect(local).toMatchObject({ emailAddress: 'new.member@example.com', role: 'org:member', status: 'pending', inviterUserId: (await row(inviter.id))!.id });

      await suite.http().post(`/accounts/organizations/${organization.id}/invitations/${invited.body.id}/revoke`).expect(200);
      expect(await invitations.findOneByOrFail({ clerkInvitationId: invited.body.id })).toMatchObject({ status: 'revoked' });
      expect(suite.api.listOrganizationInvitations(organization.id)).toEqual([expect.objectContaining({ id: invited.body.id, status: 'revoked' })]);
    });

    it('an organization Clerk does not know: ClerkApiError 404 and no local row', async () => {
      const response = await suite.http().post('/accounts/organizations/org_2unknown0000000000000000000/invitations').send({ email: 'x@example.com', role: 'org:member' }).expect(502);
      expect(response.body).toMatchObject({ operation: 'inviteToOrganization', status: 404, code: 'resource_not_found' });
      expect(await suite.dataSource.getRepository(ClerkOrganizationInvitation).findOneBy({ emailAddress: 'x@example.com' })).toBeNull();
    });
  });

  describe('updateUser', () => {
    it('changes the profile in Clerk and the local row at once', async () => {
      const user = suite.api.addUser({ email: 'profile@example.com', firstName: 'Old' });
      const response = await suite.http().patch(`/accounts/users/${user.id}`).send({ firstName: 'New', lastName: 'Name', username: 'new_name', externalId: 'crm-9' }).expect(200);
      expect(response.body.clerkUser).toMatchObject({ username: 'new_name', externalId: 'crm-9' });
      expect(await row(user.id)).toMatchObject({ firstName: 'New', lastName: 'Name', username: 'new_name' });
      expect(calls(suite.api)).toEqual([`PATCH /v1/users/${user.id}`]);
    });

    it('a username Clerk refuses writes nothing locally', async () => {
      suite.api.addUser({ username: 'taken_username' });
      const user = suite.api.addUser({ firstName: 'Stays' });
      await suite.http().patch(`/accounts/users/${user.id}`).send({ firstName: 'Before' }).expect(200);
      const version = await rowVersion(suite.dataSource, user.id);
      const response = await suite.http().patch(`/accounts/users/${user.id}`).send({ firstName: 'Changed', username: 'Taken_Username' }).expect(502);
      expect(response.body).toMatchObject({ operation: 'updateUser', status: 422, code: 'form_identifier_exists', paramName: 'username' });
      expect(await rowVersion(suite.dataSource, user.id)).toBe(version);
      expect(suite.api.getUser(user.id)).toMatchObject({ first_name: 'Before' });
    });
  });

  describe('ban, unban, lock, unlock', () => {
    it('a banned user\'s next request is 401; unbanned, it passes again', async () => {
      const user = suite.api.addUser({ email: 'moderated@example.com' });
      const session = suite.api.addSession({ userId: user.id });
      const token = bearer(user.id, session.id);
      await suite.http().get('/me').set('Authorization', token).expect(200);

      const banned = await suite.http().post(`/accounts/users/${user.id}/ban`).expect(200);
      expect(banned.body).toMatchObject({ clerkUser: { banned: true }, user: { isActive: false } });
      expect((await suite.http().get('/me').set('Authorization', token).expect(401)).body).toMatchObject({ statusCode: 401 });
      expect(suite.api.getSession(session.id)?.status).toBe('revoked');

      expect((await suite.http().post(`/accounts/users/${user.id}/unban`).expect(200)).body.user.isActive).toBe(true);
      await suite.http().get('/me').set('Authorization', token).expect(200);
    });

    it('lock makes the local row inactive at once, unlock active again', async () => {
      const user = suite.api.addUser();
      const token = bearer(user.id);
      await suite.http().get('/me').set('Authorization', token).expect(200);
      expect((await suite.http().post(`/accounts/users/${user.id}/lock`).expect(200)).body).toMatchObject({ clerkUser: { locked: true }, user: { isActive: false } });
      await suite.http().get('/me').set('Authorization', token).expect(401);
      expect((await suite.http().post(`/accounts/users/${user.id}/unlock`).expect(200)).body).toMatchObject({ clerkUser: { locked: false }, user: { isActive: true } });
      await suite.http().get('/me').set('Authorization', token).expect(200);
    });

    it('when Clerk refuses the ban, the user stays active', async () => {
      const user = suite.api.addUser();
      const token = bearer(user.id);
      await suite.http().get('/me').set('Authorization', token).expect(200);
      const version = await rowVersion(suite.dataSource, user.id);
      suite.api.failNext({ status: 403, pathPrefix: `/v1/users/${user.id}` });
      expect((await suite.http().post(`/accounts/users/${user.id}/ban`).expect(502)).body).toMatchObject({ operation: 'ban', status: 403, code: 'authorization_invalid' });
      expect(await rowVersion(suite.dataSource, user.id)).toBe(version);
      await suite.http().get('/me').set('Authorization', token).expect(200);
    });
  });

  describe('deleteUser', () => {
    it('deletes in Clerk and applies the user.deleted rules: the row is deactivated for good, a late user.updated cannot revive it', async () => {
      const user = suite.api.addUser({ email: 'leaving@example.com' });
      const token = bearer(user.id);
      await suite.http().get('/me').set('Authorization', token).expect(200);
      const before = suite.api.getUser(user.id)!;

      await suite.http().delete(`/accounts/users/${user.id}`).expect(204);
      expect(suite.api.getUser(user.id)).toBeUndefined();
      expect(await row(user.id)).toMatchObject({ isActive: false, clerkDeletedAt: expect.any(Date) });
      await suite.http().get('/me').set('Authorization', token).expect(401);

      await deliver(suite.app, suite.kit.signWebhook('user.updated', { ...before, updated_at: Date.now() + 1000 })).expect(200);
      expect(await row(user.id)).toMatchObject({ isActive: false, clerkDeletedAt: expect.any(Date) });
      await deliver(suite.app, suite.kit.signWebhook('user.deleted', { object: 'user', id: user.id, deleted: true })).expect(200);
    });
  });

  describe('deleteUser with OrganizationsModule', () => {
    it('removes the user\'s memberships at once, as the user.deleted webhook does', async () => {
      const organization = suite.api.addOrganization({ name: 'Leavers Inc' });
      const user = suite.api.addUser({ email: 'member-leaving@example.com' });
      const membership = suite.api.addMembership({ organizationId: organization.id, userId: user.id });
      await deliver(suite.app, suite.kit.signWebhook('organizationMembership.created', membership)).expect(200);
      const memberships = suite.dataSource.getRepository(ClerkOrganizationMembership);
      expect(await memberships.findOneByOrFail({ clerkMembershipId: membership.id })).toMatchObject({ clerkDeletedAt: null });

      await suite.http().delete(`/accounts/users/${user.id}`).expect(204);
      expect(await memberships.findOneByOrFail({ clerkMembershipId: membership.id })).toMatchObject({ clerkDeletedAt: expect.any(Date) });
      expect(await suite.dataSource.getRepository(ClerkOrganization).findOneByOrFail({ clerkId: organization.id })).toMatchObject({ membersCount: 0 });
    });
  });

  describe('whom a method acts on', () => {
    it('a local row without a clerkId is a clear error, and Clerk is not called', async () => {
      const local = await suite.dataSource.getRepository(ClerkUser).save({ email: 'local-only@example.com' });
      const response = await suite.http().post(`/accounts/users/${local.id}/ban`).expect(409);
      expect(response.body).toEqual({ error: 'ClerkUserNotLinkedError', message: expect.stringContaining(`local user ${local.id} has no clerkId`) });
      expect(calls(suite.api)).toEqual([]);
    });

    it('a string that is not a Clerk user id is refused before calling Clerk', async () => {
      const response = await suite.http().post('/accounts/users/user_/ban').expect(400);
      expect(response.body.message).toMatch(/expected a Clerk user id/);
      expect(calls(suite.api)).toEqual([]);
    });
  });
});
