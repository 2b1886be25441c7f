import { describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { OnClerkEvent, OrganizationsModule, type ClerkWebhookEvent } from '../../lib/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

// A signed payload the columns cannot hold (wrong type, longer than the column, a NUL byte that
// PostgreSQL refuses) is bad input: 400 on every delivery, nothing written, the event recorded as
// refused. A 500 would make Svix retry it for days, failing the same way each time.

/** An in-transaction handler for every event: user events then take the transactional path instead of the one statement. */
@Injectable()
class EveryEventHandler {
  readonly seen: string[] = [];
  @OnClerkEvent('*')
  onEvent(event: ClerkWebhookEvent): void {
    this.seen.push(event.type);
  }
}

const long = (length: number) => 'x'.repeat(length);

const user = (extra: Record<string, unknown>) => ({ ...buildClerkUser({ firstName: 'Mallory' }), ...extra });
const org = (extra: Record<string, unknown>) => ({ ...buildClerkOrganization(), ...extra });
const membership = (extra: Record<string, unknown>, userData: Record<string, unknown> = {}) => {
  const json = buildClerkMembership({ organization: buildClerkOrganization(), user: buildClerkUser() });
  return { ...json, public_user_data: { ...json.public_user_data, ...userData }, ...extra };
};
const invitation = (extra: Record<string, unknown>) => ({
  object: 'organization_invitation',
  id: `orginv_${Math.random().toString(36).slice(2)}`,
  email_address: 'invitee@example.com',
  role: 'org:member',
  status: 'pending',
  organization_id: buildClerkOrganization().id,
  created_at: 1_000,
  updated_at: 1_000,
  ...extra,
});

const CASES: Array<[string, string, () => Record<string, unknown>]> = [
  ['email_addresses as a string', 'user.created', () => user({ email_addresses: 'mallory@example.com' })],
  ['email_addresses holding a string', 'user.updated', () => user({ email_addresses: ['mallory@example.com'] })],
  ['a 300-character first_name', 'user.created', () => user({ first_name: long(300) })],
  ['a 151-character username', 'user.updated', () => user({ username: long(151) })],
  ['a NUL byte in last_name', 'user.created', () => user({ last_name: 'Mal\u0000lory' })],
  ['a NUL byte in the primary email', 'user.created', () => {
    const json = buildClerkUser({ firstName: 'Mallory' });
    return { ...json, email_addresses: [{ ...json.email_addresses![0], email_address: 'mal\u0000lory@example.com' }] };
  }],
  ['a NUL byte inside public_metadata', 'user.updated', () => user({ public_metadata: { nested: { note: 'a\u0000b' } } })],
  ['first_name as an object', 'user.created', () => user({ first_name: { toString: 'x' } })],
  ['updated_at as a string', 'user.updated', () => user({ updated_at: '2026-01-01' })],
  ['a 300-character organization name', 'organization.created', () => org({ name: long(300) })],
  ['a NUL byte in an organization slug', 'organization.updated', () => org({ slug: 'ac\u0000me' })],
  ['max_allowed_memberships beyond integer range', 'organization.created', () => org({ max_allowed_memberships: 1e12 })],
  ['a 300-character membership role', 'organizationMembership.created', () => membership({ role: `org:${long(300)}` })],
  ['a 300-character first_name in public_user_data', 'organizationMembership.created', () => membership({}, { first_name: long(300) })],
  ['a NUL byte in membership private_metadata', 'organizationMembership.updated', () => membership({ private_metadata: { 'k\u0000': 1 } })],
  ['permissions as a string', 'organizationMembership.created', () => membership({ permissions: 'org:sys_memberships:manage' })],
  ['a 400-character invitation email', 'organizationInvitation.created', () => invitation({ email_address: `${long(400)}@example.com` })],
  ['a NUL byte in an invitation email', 'organizationInvitation.created', () => invitation({ email_address: 'in\u0000vitee@example.com' })],
];

describe.each(PLATFORMS)('signed webhooks with malformed payloads (%s)', (platform) => {
  describe.each([
    ['one-statement path (built-in handlers alone)', []],
    ['transactional path (an app handler in the transaction)', [EveryEventHandler]],
  ] as const)('%s', (_path, providers) => {
    const harness = useClerkTestApp({
      platform,
      fakeApi: false,
      clerk: { secretKey: undefined },
      imports: [OrganizationsModule.forRoot()],
      providers: [...providers],
    });

    const count = async (table: string, column: string, value: unknown) =>
      (await harness.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE "${column}" = $1`, [value]))[0].n as number;
    /** Rows of anything the payload names: users, organizations, memberships, invitations. */
    const written = async (data: Record<string, unknown>) => {
      const userData = data.public_user_data as { user_id?: string } | undefined;
      const nested = data.organization as { id?: string } | undefined;
      return {
        users: (await count('clerk_users', 'clerkId', data.id)) + (await count('clerk_users', 'clerkId', userData?.user_id ?? '')) + (await count('clerk_users', 'firstName', 'Mallory')),
        organizations: (await count('clerk_organizations', 'clerkId', data.id)) + (await count('clerk_organizations', 'clerkId', nested?.id ?? data.organization_id ?? '')),
        memberships: await count('clerk_organization_memberships', 'clerkMembershipId', data.id),
        invitations: await count('clerk_organization_invitations', 'clerkInvitationId', data.id),
      };
    };
    const eventRow = async (svixId: string) => (await harness.dataSource.query(`SELECT processed_at, attempts, last_error FROM clerk_webhook_events WHERE svix_id = $1`, [svixId]))[0];
    const nothing = { users: 0, organizations: 0, memberships: 0, invitations: 0 };

    it.each(CASES)('%s (%s) → 400 on every delivery, nothing written, recorded as refused', async (_name, type, make) => {
      const data = make();
      const delivery = harness.kit.signWebhook(type, data);
      expect((await deliver(harness.app, delivery).expect(400)).body).toMatchObject({ statusCode: 400 });
      expect(await written(data)).toEqual(nothing);
      expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: null, attempts: 1, last_error: expect.stringMatching(/^refused: InvalidClerkPayloadError: /) });

      // Svix retries the same message: refused again, still nothing written.
      await deliver(harness.app, delivery).expect(400);
      expect(await written(data)).toEqual(nothing);
      expect(await eventRow(delivery.headers['svix-id'])).toMatchObject({ processed_at: null, attempts: 2 });
    });

    it('values at the column limits are accepted', async () => {
      const json = buildClerkUser({ firstName: long(255), lastName: long(255), username: long(150) });
      await deliver(harness.app, harness.kit.signWebhook('user.created', json)).expect(200);
      expect(await count('clerk_users', 'clerkId', json.id)).toBe(1);
      const organization = buildClerkOrganization({ name: long(255) });
      await deliver(harness.app, harness.kit.signWebhook('organizationMembership.created', buildClerkMembership({ organization, user: buildClerkUser(), role: `org:${long(251)}` }))).expect(200);
      expect(await count('clerk_organizations', 'clerkId', organization.id)).toBe(1);
    });
  });
});
