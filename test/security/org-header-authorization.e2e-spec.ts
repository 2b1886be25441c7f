import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { OrganizationsModule } from '../../lib/index.js';
import { buildClerkMembership, buildClerkOrganization, buildClerkUser } from '../../lib/testing/index.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';
import { expectedSharedCacheKind, sharedCache } from '../support/shared-cache.js';
import { deliver } from '../support/webhook-client.js';

// Security review #6: with `allowOrganizationHeader`, `X-Organization-Id` selected the handler's org
// while `@RequireOrg…()` still read the token's: admin of Acme by the token, member of Globex, header
// Globex → `@RequireOrgRole('admin')` passed and the handler got Globex. The request now moves to the
// header's org as a whole (role and permissions of that membership), or to no org at all.
// Security review #3 (header part): each random header id left two "not found" cache entries.

describe.each(PLATFORMS)('X-Organization-Id: one org for the check and the handler (%s)', (platform) => {
  let shared: ReturnType<typeof sharedCache>;
  beforeAll(() => {
    shared = sharedCache();
  });
  const harness = useClerkTestApp(() => ({ platform, fakeApi: false, clerk: { secretKey: undefined, cache: shared.cache }, imports: [OrganizationsModule.forRoot({ allowOrganizationHeader: true })] }));
  afterAll(async () => {
    await shared?.disconnect();
  });

  const acme = buildClerkOrganization({ name: 'Acme', slug: `acme-${platform}` });
  const globex = buildClerkOrganization({ name: 'Globex', slug: `globex-${platform}` });
  const initech = buildClerkOrganization({ name: 'Initech', slug: `initech-${platform}` });
  const ada = buildClerkUser({ firstName: 'Ada' });
  const grace = buildClerkUser({ firstName: 'Grace' });
  const adaInGlobex = buildClerkMembership({ organization: globex, user: ada, role: 'org:member', permissions: ['org:posts:read', 'org:sys_memberships:manage'] });

  /** Ada's token: admin of Acme, allowed to manage posts there. */
  const adaAsAcmeAdmin = () => harness.kit.mintSessionToken({ userId: ada.id, org: { id: acme.id, slug: acme.slug as string, role: 'admin', permissions: ['org:posts:read', 'org:posts:manage'] } });
  const get = (path: string, token: string, org?: string) => {
    const call = harness.http().get(path).set('Authorization', `Bearer ${token}`);
    return org === undefined ? call : call.set('X-Organization-Id', org);
  };

  beforeAll(async () => {
    const send = (type: string, data: unknown) => deliver(harness.app, harness.kit.signWebhook(type, data)).expect(200);
    for (const org of [acme, globex, initech]) await send('organization.created', org);
    await send('organizationMembership.created', buildClerkMembership({ organization: acme, user: ada, role: 'org:admin' }));
    await send('organizationMembership.created', adaInGlobex);
    await send('organizationMembership.created', buildClerkMembership({ organization: acme, user: grace, role: 'org:member' }));
    await send('organizationMembership.created', buildClerkMembership({ organization: globex, user: grace, role: 'org:admin', permissions: ['org:posts:manage'] }));
  });

  it('the attack: admin of Acme by the token, header Globex (a member there) → @RequireOrgRole("admin") refuses', async () => {
    const token = adaAsAcmeAdmin();
    await get('/require/admin', token, globex.id).expect(403);
    await get('/require/posts', token, globex.id).expect(403); // posts:manage is Acme's, not Globex's
    // The token's own org is untouched: the verified auth object is shared by every request of the token.
    await get('/require/admin', token).expect(200);
    await get('/require/posts', token).expect(200);
  });

  it('the handler, @CurrentOrg() and request.org see the membership the check used (role and permissions from the membership row, without system permissions)', async () => {
    const token = adaAsAcmeAdmin();
    expect((await get('/org', token, globex.id).expect(200)).body).toEqual({
      org: { id: globex.id, slug: globex.slug, role: 'org:member', permissions: ['org:posts:read'] },
      requestOrg: globex.id,
    });
    expect((await get('/org-entity', token, globex.id).expect(200)).body).toEqual({ organization: { clerkId: globex.id, name: 'Globex' } });
    const auth = (await get('/auth', token, globex.id).expect(200)).body;
    expect(auth).toMatchObject({ userId: ada.id, orgId: globex.id, orgRole: 'org:member', orgSlug: globex.slug, orgPermissions: ['org:posts:read'] });
    // Without the header, or naming the token's own org: the token's claims.
    for (const header of [undefined, acme.id]) {
      expect((await get('/org', token, header).expect(200)).body).toEqual({
        org: { id: acme.id, slug: acme.slug, role: 'org:admin', permissions: ['org:posts:read', 'org:posts:manage'] },
        requestOrg: acme.id,
      });
    }
  });

  it('a membership role grants through the header as the token would: member of Acme by the token, admin of Globex', async () => {
    const token = harness.kit.mintSessionToken({ userId: grace.id, org: { id: acme.id, role: 'member' } });
    await get('/require/admin', token).expect(403);
    await get('/require/admin', token, globex.id).expect(200);
    expect((await get('/org', token, globex.id).expect(200)).body.org).toEqual({ id: globex.id, slug: globex.slug, role: 'org:admin', permissions: ['org:posts:manage'] });
  });

  it.each([
    ['an org without a membership of the user', () => initech.id],
    ['an org nobody knows', () => `org_${randomBytes(12).toString('hex')}`],
    ['a malformed id', () => 'org_../../admin'],
  ])('a header naming %s: no organization context, org-gated routes 403 (never the token org)', async (_case, header) => {
    const token = adaAsAcmeAdmin();
    await get('/require/org', token, header()).expect(403);
    await get('/require/admin', token, header()).expect(403);
    expect((await get('/org', token, header()).expect(200)).body).toEqual({ org: null, requestOrg: null });
    expect((await get('/org-entity', token, header()).expect(200)).body).toEqual({ organization: null });
  });

  it('leaving Globex (signed webhook) takes effect on the next header request', async () => {
    const token = harness.kit.mintSessionToken({ userId: ada.id });
    expect((await get('/org', token, globex.id).expect(200)).body.requestOrg).toBe(globex.id);
    await deliver(harness.app, harness.kit.signWebhook('organizationMembership.deleted', adaInGlobex)).expect(200);
    expect((await get('/org', token, globex.id).expect(200)).body).toEqual({ org: null, requestOrg: null });
    await get('/require/org', token, globex.id).expect(403);
  });

  it(`random X-Organization-Id values leave no cache entry per id (${expectedSharedCacheKind()})`, async () => {
    const token = harness.kit.mintSessionToken({ userId: grace.id, org: { id: acme.id, role: 'member' } });
    const randomOrg = () => `org_${randomBytes(12).toString('hex')}`;
    await get('/org', token, randomOrg()).expect(200); // warms what one user legitimately caches (token, user, memberships)
    const before = await shared.storedKeyCount();
    for (let i = 0; i < 200; i++) await get('/org', token, randomOrg()).expect(200);
    expect(await shared.storedKeyCount()).toBe(before);
    // The header path still answers from the cache: a member's header request makes no query once warm.
    await get('/org', token, globex.id).expect(200);
    harness.queries.reset();
    expect((await get('/org', token, globex.id).expect(200)).body.requestOrg).toBe(globex.id);
    expect(harness.queries.count).toBe(0);
  });
});
