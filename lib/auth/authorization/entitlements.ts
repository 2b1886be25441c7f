import { splitByScope } from '@clerk/shared/authorization';
import type { ClerkSessionClaims } from '../clerk-auth.interface.js';

/** Features or plans of one claim (`fea`, `pla`), split by scope as Clerk does; `null`: the claim grants nothing. */
export interface ScopedEntitlements {
  org: readonly string[];
  user: readonly string[];
}

/** What `has({ feature | plan })` reads of a session token, parsed once per verified token. */
export interface SessionEntitlements {
  features: ScopedEntitlements | null;
  plans: ScopedEntitlements | null;
  /** The token's own active org (v2 `o.id`, v1 `org_id`): org-scoped entitlements belong to it only. */
  tokenOrgId: string | null;
}

/**
 * A claim as @clerk/backend hands it to `createCheckAuthorization` (`sessionClaims.fea || ''`): a
 * missing, empty or non-text claim, or one `splitByScope` rejects (an entry without a scope), grants nothing.
 */
function scoped(claim: unknown): ScopedEntitlements | null {
  if (typeof claim !== 'string' || !claim) return null;
  try {
    const { org, user } = splitByScope(claim);
    return Object.freeze({ org: Object.freeze(org), user: Object.freeze(user) });
  } catch {
    return null;
  }
}

function tokenOrgIdOf(claims: ClerkSessionClaims): string | null {
  const o = claims.o as { id?: unknown } | null | undefined;
  const id = claims.v === 2 ? o && typeof o === 'object' ? o.id : undefined : claims.org_id;
  return typeof id === 'string' && id ? id : null;
}

/**
 * Keyed by the verified claims object: one per verified token (every request of a token, and every
 * auth narrowed from it to another org, shares it), so `fea`/`pla` are parsed once, not per request.
 */
const parsed = new WeakMap<object, SessionEntitlements>();

/** The `fea`/`pla` entitlements of verified session claims. */
export function entitlementsOf(claims: ClerkSessionClaims): SessionEntitlements {
  let entitlements = parsed.get(claims);
  if (!entitlements) {
    entitlements = Object.freeze({ features: scoped(claims.fea), plans: scoped(claims.pla), tokenOrgId: tokenOrgIdOf(claims) });
    parsed.set(claims, entitlements);
  }
  return entitlements;
}
