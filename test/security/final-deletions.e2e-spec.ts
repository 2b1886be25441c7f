import { describe, expect, it } from '@jest/globals';
import { OrganizationsModule } from '../../lib/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { deliver } from '../support/webhook-client.js';

// Deletions in Clerk are final. Svix does not keep order, so a membership event can arrive after
// its user's (or organization's) deletion, or after a deletion that arrived first and left only a
// tombstone. It is acknowledged (200, so Svix stops) and never gives an active membership back.

describe.each(PLATFORMS)('membership events after a deletion (%s)', (platform) => {
  const harness = useClerkTestApp({ platform, fakeApi: false, clerk: { secretKey: undefined }, imports: [OrganizationsModule.forRoot()] });

  const send = (type: string, data: unknown) => deliver(harness.app, harness.kit.signWebhook(type, data)).expect(200);
  const activeMembers = async (clerkOrgId: string) =>
    ((await harness.dataSource.query(`SELECT "clerkUserId" FROM clerk_organization_memberships WHERE "clerkOrganizationId" = $1 AND "clerkDeletedAt" IS NULL`, [clerkOrgId])) as Array<{ clerkUserId: string }>).map((m) => m.clerkUserId).sort();
  const membersCount = async (clerkOrgId: string) => (await harness.dataSource.query(`SELECT "membersCount" FROM clerk_organizations WHERE "clerkId" = $1`, [clerkOrgId]))[0]?.membersCount as number;
  const userDeleted = async (clerkId: string) => (await harness.dataSource.query(`SELECT "clerkDeletedAt" IS NOT NULL AS deleted FROM clerk_users WHERE "clerkId" = $1`, [clerkId]))[0]?.deleted as boolean;
  const deleteUser = (clerkId: string) => send('user.deleted', { object: 'user', id: clerkId, deleted: true });

  it('user.deleted, then a late organizationMembership.created: acknowledged, no active membership, not counted', async () => {
    const organization = buildClerkOrganization();
    const [alice, mallory] = [buildClerkUser(), buildClerkUser()];
    await send('organizationMembership.created', buildClerkMembership({ organization, user: alice }));
    await send('user.created', mallory);
    await deleteUser(mallory.id);

    await send('organizationMembership.created', buildClerkMembership({ organization, user: mallory, role: 'org:admin' }));
    expect(await activeMembers(organization.id)).toEqual([alice.id]);
    expect(await membersCount(organization.id)).toBe(1);
    expect(await userDeleted(mallory.id)).toBe(true);
  });

  it('a deletion that arrived first (a tombstone of an unknown user), then the membership: same outcome', async () => {
    const organization = buildClerkOrganization();
    const ghost = buildClerkUser();
    await deleteUser(ghost.id);
    expect(await userDeleted(ghost.id)).toBe(true);

    const late = buildClerkMembership({ organization, user: ghost });
    await send('organizationMembership.created', late);
    await send('organizationMembership.updated', { ...late, role: 'org:admin', updated_at: late.updated_at + 1_000 });
    expect(await activeMembers(organization.id)).toEqual([]);
    expect(await membersCount(organization.id)).toBe(0);
  });

  it('the other order: membership first, then user.deleted, then a late updated of the old membership', async () => {
    const organization = buildClerkOrganization();
    const bob = buildClerkUser();
    const bobIn = buildClerkMembership({ organization, user: bob });
    await send('organizationMembership.created', bobIn);
    expect(await membersCount(organization.id)).toBe(1);
    await deleteUser(bob.id);
    await send('organizationMembership.updated', { ...bobIn, role: 'org:admin', updated_at: bobIn.updated_at + 1_000 });
    expect(await activeMembers(organization.id)).toEqual([]);
    expect(await membersCount(organization.id)).toBe(0);
  });

  it('organization.deleted (first, as a tombstone, or after the org), then a membership: no active membership', async () => {
    const [known, unknown] = [buildClerkOrganization(), buildClerkOrganization()];
    await send('organization.created', known);
    for (const organization of [known, unknown]) {
      await send('organization.deleted', { object: 'organization', id: organization.id, deleted: true });
      await send('organizationMembership.created', buildClerkMembership({ organization, user: buildClerkUser() }));
      expect(await activeMembers(organization.id)).toEqual([]);
      expect(await membersCount(organization.id)).toBe(0);
    }
  });

  it('a deleted user who re-joins under a new membership id stays out; other members are unaffected', async () => {
    const organization = buildClerkOrganization();
    const [carol, dave] = [buildClerkUser(), buildClerkUser()];
    await send('organizationMembership.created', buildClerkMembership({ organization, user: carol }));
    await send('organizationMembership.created', buildClerkMembership({ organization, user: dave }));
    await deleteUser(carol.id);
    await send('organizationMembership.created', buildClerkMembership({ organization, user: carol }));
    await send('organizationMembership.created', buildClerkMembership({ organization, user: dave }));
    expect(await activeMembers(organization.id)).toEqual([dave.id]);
    expect(await membersCount(organization.id)).toBe(1);
  });
});
