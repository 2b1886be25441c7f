import type { ClerkActor, ClerkAuth, ClerkOrgContext, ClerkRequestAuth, ClerkSessionClaims } from './clerk-auth.interface.js';
import { isMachineAuth } from './machine-token-type.js';

const ORG_FEATURE_SCOPES = new Set(['o', 'ou', 'uo']);
/** `orgPermissions` of every auth without an active org: one frozen array, not one per token. */
const NO_PERMISSIONS: readonly string[] = Object.freeze([]);

const asString = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const prefixOrg = (role: string): string => (role.startsWith('org:') ? role : `org:${role}`);

/**
 * Org-scoped feature names of a v2 `fea` claim, in order. Entries are trimmed and an entry without
 * a scope is malformed, as in @clerk/shared's `splitByScope` (which throws there: here the whole claim grants nothing).
 */
function orgFeatures(fea: string): string[] | null {
  const features: string[] = [];
  for (const rawEntry of fea.split(',')) {
    const entry = rawEntry.trim();
    const colon = entry.indexOf(':');
    if (colon < 0) return null;
    if (ORG_FEATURE_SCOPES.has(entry.slice(0, colon))) features.push(entry.slice(colon + 1));
  }
  return features;
}

/**
 * Decodes v2 `o.per` + `o.fpm` bitmasks over the org features of `fea` into `org:<feature>:<permission>`,
 * as @clerk/shared's `parsePermissions` does (list entries trimmed; a mask that is not a decimal number grants nothing).
 */
export function decodeV2Permissions(fea: unknown, per: unknown, fpm: unknown): string[] {
  if (typeof fea !== 'string' || typeof per !== 'string' || typeof fpm !== 'string') return [];
  const features = orgFeatures(fea);
  if (!features) return [];
  const names = per.split(',').map((name) => name.trim());
  const masks = fpm.split(',');
  const permissions: string[] = [];
  features.forEach((feature, index) => {
    const maskText = masks[index]?.trim();
    if (!maskText || !/^\d+$/.test(maskText)) return;
    let mask = BigInt(maskText);
    for (let bit = 0; mask > 0n && bit < names.length; bit++, mask >>= 1n) {
      if (mask & 1n && names[bit]) permissions.push(`org:${feature}:${names[bit]}`);
    }
  });
  return permissions;
}

/** Active org of v1 (`org_*`) or v2 (`o`, `fea`) claims; a v2 token's flat `org_*` claims are ignored. */
export function orgFromClaims(claims: Record<string, unknown>): ClerkOrgContext | null {
  if (claims.v === 2) {
    const o = claims.o;
    if (!o || typeof o !== 'object') return null;
    const org = o as Record<string, unknown>;
    const id = asString(org.id);
    if (!id) return null;
    const role = asString(org.rol);
    return { id, slug: asString(org.slg), role: role ? prefixOrg(role) : null, permissions: decodeV2Permissions(claims.fea, org.per, org.fpm) };
  }
  const id = asString(claims.org_id);
  if (!id) return null;
  const permissions = Array.isArray(claims.org_permissions) ? claims.org_permissions.filter((p): p is string => typeof p === 'string') : [];
  const role = asString(claims.org_role);
  return { id, slug: asString(claims.org_slug), role: role ? prefixOrg(role) : null, permissions };
}

function factorAge(value: unknown): [number, number] | null {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number') ? [value[0], value[1]] : null;
}

/** Builds `request.auth` from verified claims. */
export function authFromClaims(claims: ClerkSessionClaims): ClerkRequestAuth {
  const org = orgFromClaims(claims);
  // Any `act` object marks an impersonation: a malformed one must not pass for the user's own session.
  const actor = claims.act && typeof claims.act === 'object' ? (claims.act as ClerkActor) : null;
  // One verified auth object serves every request of its token (cached), so nobody may change it.
  Object.freeze(claims);
  return Object.freeze({
    tokenType: 'session_token' as const,
    method: 'clerk' as const,
    userId: claims.sub,
    sessionId: claims.sid,
    sessionStatus: asString(claims.sts),
    actor,
    orgId: org?.id ?? null,
    orgRole: org?.role ?? null,
    orgSlug: org?.slug ?? null,
    orgPermissions: (org ? Object.freeze(org.permissions) : NO_PERMISSIONS) as string[],
    factorVerificationAge: factorAge(claims.fva),
    claims,
    expiresAt: claims.exp * 1000,
  });
}

/** `@CurrentOrg()` view of `request.auth`. */
export function orgContextOf(auth: ClerkAuth | undefined): ClerkOrgContext | null {
  if (!auth || isMachineAuth(auth) || !auth.orgId) return null;
  return { id: auth.orgId, slug: auth.orgSlug, role: auth.orgRole, permissions: auth.orgPermissions };
}
