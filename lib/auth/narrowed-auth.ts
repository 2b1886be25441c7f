import type { ClerkOrgContext, ClerkRequestAuth } from './clerk-auth.interface.js';

/** The fields of `request.auth` that describe its organization: all an enricher may narrow. */
const ORG_FIELDS = new Set<string>(['orgId', 'orgSlug', 'orgRole', 'orgPermissions']);

/**
 * `auth` (a verified session) describing another organization, or none (`org: null`): a new frozen
 * object, so the verified one, shared by every request of its token, stays as it is. `claims` stay
 * the token's as verified. What an enricher returns as `auth` (see `ClerkRequestFields`).
 */
export function narrowAuthToOrganization(auth: ClerkRequestAuth, org: ClerkOrgContext | null): ClerkRequestAuth {
  return Object.freeze({
    ...auth,
    orgId: org?.id ?? null,
    orgSlug: org?.slug ?? null,
    orgRole: org?.role ?? null,
    orgPermissions: Object.freeze([...(org?.permissions ?? [])]) as string[],
  });
}

/**
 * The narrowed `auth` an enricher returned, checked: the same session with other org fields only.
 * Anything else is a programming error of the enricher, never a silent change of identity.
 */
export function checkedNarrowing(received: ClerkRequestAuth, narrowed: unknown, enricher: string): ClerkRequestAuth {
  const candidate = narrowed as Partial<Record<string, unknown>> | null;
  const fail = (what: string): never => {
    throw new Error(`${enricher}: the auth it returned ${what}; an enricher may narrow orgId, orgSlug, orgRole and orgPermissions only (narrowAuthToOrganization)`);
  };
  if (!candidate || typeof candidate !== 'object') return fail('is not an object');
  const keys = new Set([...Object.keys(received), ...Object.keys(candidate)]);
  for (const key of keys) {
    if (!ORG_FIELDS.has(key) && candidate[key] !== (received as unknown as Record<string, unknown>)[key]) fail(`changes "${key}"`);
  }
  const { orgId, orgSlug, orgRole, orgPermissions } = candidate;
  const textOrNull = (value: unknown): value is string | null => value === null || (typeof value === 'string' && value.length > 0);
  if (!textOrNull(orgId) || !textOrNull(orgSlug) || !textOrNull(orgRole)) fail('has an org field that is neither text nor null');
  if (!Array.isArray(orgPermissions) || !orgPermissions.every((p) => typeof p === 'string')) fail('has no permission list');
  if (orgId === null && (orgSlug !== null || orgRole !== null || (orgPermissions as string[]).length)) fail('has org fields without an orgId');
  // A fresh frozen copy: nothing the enricher still holds can change the request's auth later.
  return narrowAuthToOrganization(received, orgFieldsOf(candidate as unknown as ClerkRequestAuth));
}

function orgFieldsOf(auth: ClerkRequestAuth): ClerkOrgContext | null {
  return auth.orgId ? { id: auth.orgId, slug: auth.orgSlug, role: auth.orgRole, permissions: auth.orgPermissions } : null;
}
