import type { ClerkAuth, ClerkRequestAuth } from '../clerk-auth.interface.js';
import { entitlementsOf, type ScopedEntitlements } from './entitlements.js';
import { resolveReverification, type ClerkReverificationConfig } from './reverification.js';

/**
 * What `has()` is asked, as Clerk's `auth.has()`: `role`/`permission` of the active org (`admin`
 * matches `org:admin`), `feature`/`plan` of the `fea`/`pla` claims (`name`, `u:name`, `o:name`), and
 * `reverification`. Every dimension given must pass; asking nothing is `false`.
 */
export interface ClerkHasParams {
  role?: string;
  permission?: string;
  feature?: string;
  plan?: string;
  reverification?: ClerkReverificationConfig;
}

type Check = 'pass' | 'fail' | 'skip';

const ORG_SCOPES = new Set(['o', 'org', 'organization']);
const USER_SCOPES = new Set(['u', 'user']);

/** Clerk's `value.replace(/^(org:)*\/, 'org:')`, without the regular expression in the common cases. */
const prefixWithOrg = (value: string): string =>
  !value.startsWith('org:') ? `org:${value}` : value.startsWith('org:org:') ? value.replace(/^(org:)*/, 'org:') : value;

function checkOrg(params: ClerkHasParams, auth: ClerkRequestAuth): Check {
  const roleAsked = params.role !== undefined;
  const permissionAsked = params.permission !== undefined;
  if (!roleAsked && !permissionAsked) return 'skip';
  if ((roleAsked && typeof params.role !== 'string') || (permissionAsked && typeof params.permission !== 'string')) return 'fail';
  if (!auth.orgId) return 'fail';
  if (roleAsked && (typeof auth.orgRole !== 'string' || !auth.orgRole || prefixWithOrg(auth.orgRole) !== prefixWithOrg(params.role!))) return 'fail';
  if (permissionAsked && (!Array.isArray(auth.orgPermissions) || !auth.orgPermissions.includes(prefixWithOrg(params.permission!)))) return 'fail';
  return 'pass';
}

/**
 * `name` matches either scope, `o:`/`org:`/`organization:` the org's, `u:`/`user:` the user's; any
 * other scope matches nothing. Org-scoped entitlements belong to the token's own active org: an auth
 * narrowed to another org (`X-Organization-Id`) keeps the user's, never the token org's.
 */
function entitled(claim: ScopedEntitlements | null, asked: string, orgMatches: boolean): boolean {
  if (!claim) return false;
  const org = orgMatches ? claim.org : NONE;
  // Clerk reads `asked.split(':')` as [scope, name]: `name` alone, else the first two segments.
  const colon = asked.indexOf(':');
  if (colon < 0) return org.includes(asked) || claim.user.includes(asked);
  const scope = asked.slice(0, colon);
  const next = asked.indexOf(':', colon + 1);
  const id = asked.slice(colon + 1, next < 0 ? undefined : next) || scope;
  if (ORG_SCOPES.has(scope)) return org.includes(id);
  if (USER_SCOPES.has(scope)) return claim.user.includes(id);
  return false;
}

const NONE: readonly string[] = Object.freeze([]);

function checkBilling(params: ClerkHasParams, auth: ClerkRequestAuth): Check {
  const featureAsked = params.feature !== undefined;
  const planAsked = params.plan !== undefined;
  if (!featureAsked && !planAsked) return 'skip';
  if ((featureAsked && typeof params.feature !== 'string') || (planAsked && typeof params.plan !== 'string')) return 'fail';
  const { features, plans, tokenOrgId } = entitlementsOf(auth.claims);
  const orgMatches = auth.orgId === tokenOrgId;
  if (featureAsked && !entitled(features, params.feature!, orgMatches)) return 'fail';
  if (planAsked && !entitled(plans, params.plan!, orgMatches)) return 'fail';
  return 'pass';
}

const isFactorAge = (age: unknown): age is number => typeof age === 'number' && Number.isFinite(age) && (age === -1 || age >= 0);

/** `fva` is `[minutes since first factor, minutes since second factor]`, `-1` for a factor never verified in the session. */
function checkReverification(params: ClerkHasParams, auth: ClerkRequestAuth): Check {
  if (params.reverification === undefined) return 'skip';
  const age = auth.factorVerificationAge;
  if (!Array.isArray(age) || age.length !== 2 || !isFactorAge(age[0]) || !isFactorAge(age[1])) return 'fail';
  const wanted = resolveReverification(params.reverification);
  if (!wanted) return 'fail';
  const [first, second] = age;
  if (first === -1 && second === -1) return 'fail';
  const firstFresh = first !== -1 && wanted.afterMinutes > first;
  const secondFresh = second !== -1 && wanted.afterMinutes > second;
  switch (wanted.level) {
    case 'first_factor':
      return firstFresh ? 'pass' : 'fail';
    case 'second_factor':
      // A user without a second factor reverifies with the first one.
      if (second === -1) return firstFresh ? 'pass' : 'fail';
      return secondFresh ? 'pass' : 'fail';
    case 'multi_factor':
      if (second === -1) return firstFresh ? 'pass' : 'fail';
      return firstFresh && secondFresh ? 'pass' : 'fail';
  }
}

/**
 * Clerk's `has()` (@clerk/shared `createCheckAuthorization`, which @clerk/backend's `signedInAuthObject`
 * puts on a session's auth object) over `request.auth`: the one function behind `@Auth().has()`,
 * `ClerkAuthorization.has()` and the `@Require…()` decorators, so they never disagree. Only a Clerk
 * session can pass; a machine caller or a password login has no such claims (`false`).
 */
export function clerkHas(auth: ClerkAuth | null | undefined, params: ClerkHasParams): boolean {
  if (!auth || auth.tokenType !== 'session_token' || !auth.userId || !params || typeof params !== 'object') return false;
  const org = checkOrg(params, auth);
  if (org === 'fail') return false;
  const billing = checkBilling(params, auth);
  if (billing === 'fail') return false;
  const reverification = checkReverification(params, auth);
  if (reverification === 'fail') return false;
  return org === 'pass' || billing === 'pass' || reverification === 'pass';
}
