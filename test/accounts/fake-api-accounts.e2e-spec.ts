import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { useClerkTestKit } from '../support/clerk-test-app.js';
import { clerkRefusal } from './support.js';

/** The kit's fake Backend API answers sessions, sign-in tokens, invitations and user changes as @clerk/backend calls them. */
describe('FakeClerkApi: sessions, sign-in tokens, invitations and user changes', () => {
  const suite = useClerkTestKit();
  let clerk: ClerkClient;

  beforeAll(() => {
    clerk = createClerkClient({ secretKey: suite.kit.secretKey, apiUrl: suite.api.url, telemetry: { disabled: true } });
  });
  beforeEach(() => suite.api.clearRequests());


  it('lists a user\'s sessions page by page and revokes one', async () => {
    const user = suite.api.addUser();
    const sessions = Array.from({ length: 3 }, (_, i) => suite.api.addSession({ userId: user.id, id: `sess_fake_list_${i}` }));
    const first = await clerk.sessions.getSessionList({ userId: user.id, limit: 2 });
    expect(first.totalCount).toBe(3);
    expect(first.data).toHaveLength(2);
    const second = await clerk.sessions.getSessionList({ userId: user.id, limit: 2, offset: 2 });
    expect([...first.data, ...second.data].map((s) => s.id).sort()).toEqual(sessions.map((s) => s.id).sort());
    expect(first.data[0]).toMatchObject({ userId: user.id, status: 'active' });

    expect(await clerk.sessions.revokeSession(sessions[1].id)).toMatchObject({ id: sessions[1].id, status: 'revoked' });
    expect((await clerk.sessions.getSessionList({ userId: user.id, status: 'active' })).data.map((s) => s.id).sort()).toEqual([sessions[0].id, sessions[2].id].sort());
    expect(await clerkRefusal(clerk.sessions.revokeSession('sess_unknown'))).toMatchObject({ status: 404, code: 'resource_not_found' });
  });

  it('creates sign-in tokens for known users only, with the lifetime asked for', async () => {
    const user = suite.api.addUser();
    const token = await clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 900 });
    expect(token).toMatchObject({ userId: user.id, status: 'pending', token: expect.any(String) });
    expect(token.url).toContain(token.token);
    expect(suite.api.listSignInTokens().find((t) => t.id === token.id)).toMatchObject({ expires_in_seconds: 900 });
    expect(await clerkRefusal(clerk.signInTokens.createSignInToken({ userId: 'user_unknown', expiresInSeconds: 60 }))).toMatchObject({ status: 404 });
  });

  it('invitations: a pending one per email, an existing user refused unless ignore_existing', async () => {
    const invitation = await clerk.invitations.createInvitation({ emailAddress: 'fresh@example.com', notify: false });
    expect(invitation).toMatchObject({ emailAddress: 'fresh@example.com', status: 'pending', revoked: false });
    expect(await clerkRefusal(clerk.invitations.createInvitation({ emailAddress: 'fresh@example.com' }))).toMatchObject({ status: 422, code: 'duplicate_record', param: 'email_address' });
    suite.api.addUser({ email: 'existing-invitee@example.com' });
    expect(await clerkRefusal(clerk.invitations.createInvitation({ emailAddress: 'existing-invitee@example.com' }))).toMatchObject({ status: 422, code: 'form_identifier_exists' });
    expect(await clerk.invitations.createInvitation({ emailAddress: 'existing-invitee@example.com', ignoreExisting: true })).toMatchObject({ status: 'pending' });
    expect(await clerk.invitations.revokeInvitation(invitation.id)).toMatchObject({ status: 'revoked', revoked: true });
    expect((await clerk.invitations.getInvitationList({ status: 'revoked' })).data.map((i) => i.id)).toEqual([invitation.id]);
  });

  it('organization invitations: role required, members refused, pending count kept', async () => {
    const organization = suite.api.addOrganization();
    const member = suite.api.addUser({ email: 'already-member@example.com' });
    suite.api.addMembership({ organizationId: organization.id, userId: member.id });
    const create = (emailAddress: string, role: string) => clerk.organizations.createOrganizationInvitation({ organizationId: organization.id, emailAddress, role });
    expect(await clerkRefusal(create('already-member@example.com', 'org:member'))).toMatchObject({ status: 422, code: 'already_a_member_in_organization' });
    expect(await clerkRefusal(create('someone@example.com', ''))).toMatchObject({ status: 422, code: 'form_param_missing', param: 'role' });
    const invitation = await create('someone@example.com', 'org:admin');
    expect(invitation).toMatchObject({ organizationId: organization.id, role: 'org:admin', roleName: 'Admin', status: 'pending' });
    expect((await clerk.organizations.getOrganization({ organizationId: organization.id })).raw).toMatchObject({ pending_invitations_count: 1 });
    await clerk.organizations.revokeOrganizationInvitation({ organizationId: organization.id, invitationId: invitation.id });
    expect((await clerk.organizations.getOrganization({ organizationId: organization.id })).raw).toMatchObject({ pending_invitations_count: 0 });
  });

  it('user changes: profile patch, metadata merge, ban (ending sessions), lock; unknown users 404', async () => {
    const user = suite.api.addUser({ publicMetadata: { a: { b: 1 } } });
    const session = suite.api.addSession({ userId: user.id });
    const before = suite.api.getUser(user.id)!.updated_at!;
    expect(await clerk.users.updateUser(user.id, { firstName: 'Patched', externalId: 'ext-patched' })).toMatchObject({ firstName: 'Patched', externalId: 'ext-patched' });
    expect((await clerk.users.updateUserMetadata(user.id, { publicMetadata: { a: { c: 2 } } })).publicMetadata).toEqual({ a: { b: 1, c: 2 } });
    expect(suite.api.getUser(user.id)!.updated_at).toBeGreaterThan(before);
    expect(await clerk.users.banUser(user.id)).toMatchObject({ banned: true });
    expect(suite.api.getSession(session.id)?.status).toBe('revoked');
    expect(await clerk.users.lockUser(user.id)).toMatchObject({ locked: true });
    expect(await clerk.users.unlockUser(user.id)).toMatchObject({ locked: false });
    expect(await clerkRefusal(clerk.users.banUser('user_unknown'))).toMatchObject({ status: 404, code: 'resource_not_found' });
    expect(await clerkRefusal(clerk.users.updateUserMetadata(user.id, { publicMetadata: 'x' as unknown as Record<string, unknown> }))).toMatchObject({ status: 422, param: 'public_metadata' });
  });
});
