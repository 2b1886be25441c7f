import { beforeAll, describe, expect, it } from '@jest/globals';
import { __experimental_JWTPayloadToAuthObjectProperties as clerkAuthPropertiesOf } from '@clerk/shared/jwtPayloadParser';
import type { JwtPayload } from '@clerk/shared/types';
import { decodeV2Permissions, orgFromClaims } from '../../lib/auth/org-claims.js';
import { useClerkTestApp } from '../support/clerk-test-app.js';
import { PLATFORMS } from '../support/create-app.js';

/** The org part of a v2 session token (`v`, `fea`, `o`), as Clerk's frontend API mints it. */
interface V2OrgClaims {
  fea?: string;
  o: { id: string; slg: string; rol: string; per?: string; fpm?: string };
}

/** What @clerk/shared's own parser (the one @clerk/backend's `signedInAuthObject` calls) makes of the claims. */
function clerkOrgOf(claims: V2OrgClaims) {
  const payload = { v: 2, sub: 'user_golden', sid: 'sess_golden', ...claims } as unknown as JwtPayload;
  const { orgId, orgSlug, orgRole, orgPermissions } = clerkAuthPropertiesOf(payload);
  return { id: orgId, slug: orgSlug, role: orgRole, permissions: orgPermissions };
}

const org = (per: string | undefined, fpm: string | undefined) => ({ id: 'org_golden', slg: 'golden', rol: 'admin', ...(per === undefined ? {} : { per }), ...(fpm === undefined ? {} : { fpm }) });

/**
 * Golden v2 payloads in Clerk's documented format (clerk-docs `docs/guides/sessions/session-tokens.mdx`,
 * "Version 2": `fea` scoped features; `o.per` permission names; `o.fpm` one decimal bitmask per org
 * feature, bit i standing for `o.per[i]`). The permission lists are what @clerk/shared's
 * `__experimental_JWTPayloadToAuthObjectProperties` (`src/jwtPayloadParser.ts`) yields; the test asks it.
 */
const GOLDEN: Array<[name: string, claims: V2OrgClaims, permissions: string[]]> = [
  ['the clerk-docs example (fea o:dashboard,o:impersonation; per read,manage; fpm 3,2)', { fea: 'o:dashboard,o:impersonation', o: org('read,manage', '3,2') }, ['org:dashboard:read', 'org:dashboard:manage', 'org:impersonation:manage']],
  ['spaces after the commas of fea and o.per', { fea: 'o:billing, o:reports', o: org('read, manage', '3,1') }, ['org:billing:read', 'org:billing:manage', 'org:reports:read']],
  ['spaces around every entry and mask', { fea: ' o:billing ,  o:reports ', o: org(' read ,manage ', ' 2 , 3 ') }, ['org:billing:manage', 'org:reports:read', 'org:reports:manage']],
  ['tabs around entries', { fea: 'o:billing,\to:reports', o: org('read,\tmanage', '1,\t2') }, ['org:billing:read', 'org:reports:manage']],
  ['user-scoped features hold no org bitmask; uo and ou count as org', { fea: 'u:profile,o:billing,uo:reports,ou:exports', o: org('read,manage', '1,2,3') }, ['org:billing:read', 'org:reports:manage', 'org:exports:read', 'org:exports:manage']],
  ['a feature without a mask grants nothing', { fea: 'o:billing,o:reports', o: org('read,manage', '3') }, ['org:billing:read', 'org:billing:manage']],
  ['mask bits beyond o.per are ignored', { fea: 'o:billing', o: org('read', '7') }, ['org:billing:read']],
  ['a zero mask grants nothing', { fea: 'o:billing,o:reports', o: org('read,manage', '0,1') }, ['org:reports:read']],
  ['a mask that is not a decimal number grants nothing', { fea: 'o:billing,o:reports', o: org('read,manage', 'x,2') }, ['org:reports:manage']],
  ['a mask beyond 2^53 (64 permissions)', { fea: 'o:wide', o: org(Array.from({ length: 64 }, (_, i) => `p${i}`).join(','), ((1n << 63n) + (1n << 52n) + 1n).toString()) }, ['org:wide:p0', 'org:wide:p52', 'org:wide:p63']],
  ['an entry with an empty scope is skipped', { fea: ':ghost,o:billing', o: org('read', '1') }, ['org:billing:read']],
  ['no o.per / o.fpm: a role without permissions', { fea: 'o:billing', o: org(undefined, undefined) }, []],
  ['no fea at all', { o: org('read,manage', '3') }, []],
];

describe('v2 organization permissions: golden payloads decode as @clerk/backend decodes them', () => {
  it.each(GOLDEN)('%s', (_name, claims, permissions) => {
    expect(clerkOrgOf(claims).permissions).toEqual(permissions);
    expect(decodeV2Permissions(claims.fea, claims.o.per, claims.o.fpm)).toEqual(permissions);
    expect(orgFromClaims({ v: 2, ...claims })).toEqual(clerkOrgOf(claims));
  });

  it('where Clerk’s parser throws (an fea entry without a scope), the package grants nothing and does not throw', () => {
    const claims = { fea: 'billing,o:reports', o: org('read', '1,1') };
    expect(() => clerkOrgOf(claims)).toThrow(/missing colon/);
    expect(decodeV2Permissions(claims.fea, claims.o.per, claims.o.fpm)).toEqual([]);
  });
});

describe.each(PLATFORMS)('v2 permissions with spaces reach request.auth and @CurrentOrg() (%s)', (platform) => {
  const userId = 'user_golden000000000000000001';
  const harness = useClerkTestApp({ platform });

  beforeAll(() => {
    harness.api.addUser({ id: userId, email: 'golden@example.com' });
  });

  it('a token carrying `fea: "o:billing, o:reports"` and `o.per: "read, manage"` gets Clerk’s permission list', async () => {
    const claims = { fea: 'o:billing, o:reports', o: org('read, manage', '3,1') };
    const token = harness.kit.mintSessionToken({ userId, claims });
    const response = await harness.http().get('/org').set('Authorization', `Bearer ${token}`).expect(200);
    expect(response.body.org).toEqual(clerkOrgOf(claims));
    expect(response.body.org.permissions).toEqual(['org:billing:read', 'org:billing:manage', 'org:reports:read']);
  });
});
