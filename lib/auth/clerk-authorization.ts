import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  CLERK_REQUIRE_FEATURES,
  CLERK_REQUIRE_ORG,
  CLERK_REQUIRE_ORG_PERMISSIONS,
  CLERK_REQUIRE_ORG_ROLES,
  CLERK_REQUIRE_PLANS,
  CLERK_REQUIRE_REVERIFICATION,
  CLERK_REQUIRE_SCOPES,
  CLERK_REQUIRE_STAFF,
  CLERK_REQUIRE_SUPERUSER,
} from './auth.constants.js';
import type { ClerkRequestAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import { clerkHas, type ClerkHasParams } from './authorization/clerk-has.js';
import { ClerkReverificationRequiredException, type ClerkReverificationConfig } from './authorization/reverification.js';
import { isMachineAuth } from './machine-token-type.js';

/**
 * Authorization requirements of one route, handler metadata overriding class metadata. The name
 * lists hold the `has()` questions the decorators built once, at decoration time.
 */
export interface ClerkRouteRequirements {
  org: boolean;
  /** `@RequireOrgRole()`: any of them. */
  orgRoles: readonly ClerkHasParams[] | undefined;
  /** `@RequireOrgPermission()`: every one of them. */
  orgPermissions: readonly ClerkHasParams[] | undefined;
  /** `@RequireFeature()`: any of them. */
  features: readonly ClerkHasParams[] | undefined;
  /** `@RequirePlan()`: any of them. */
  plans: readonly ClerkHasParams[] | undefined;
  /** `@RequireReverification()`: the `has()` question `{ reverification: config }`. */
  reverification: Readonly<{ reverification: ClerkReverificationConfig }> | undefined;
  /** `@RequireScopes()`: every one of them, of a machine caller. */
  scopes: readonly string[] | undefined;
  staff: boolean;
  superuser: boolean;
}

/** Requirements of `handler` in `controller` (handler metadata overrides class metadata); `null` when none. */
export function readRequirements(reflector: Reflector, handler: Function, controller: Function): ClerkRouteRequirements | null {
  const targets = [handler, controller];
  const read = <T>(key: string): T | undefined => reflector.getAllAndOverride<T>(key, targets);
  const requirements: ClerkRouteRequirements = {
    org: read<boolean>(CLERK_REQUIRE_ORG) ?? false,
    orgRoles: read(CLERK_REQUIRE_ORG_ROLES),
    orgPermissions: read(CLERK_REQUIRE_ORG_PERMISSIONS),
    features: read(CLERK_REQUIRE_FEATURES),
    plans: read(CLERK_REQUIRE_PLANS),
    reverification: read(CLERK_REQUIRE_REVERIFICATION),
    scopes: read(CLERK_REQUIRE_SCOPES),
    staff: read<boolean>(CLERK_REQUIRE_STAFF) ?? false,
    superuser: read<boolean>(CLERK_REQUIRE_SUPERUSER) ?? false,
  };
  return hasUserRequirements(requirements) || requirements.scopes ? requirements : null;
}

/** Requirements only a user (a Clerk session or a password login) can meet. */
function hasUserRequirements(r: ClerkRouteRequirements): boolean {
  return !!(r.org || r.orgRoles || r.orgPermissions || r.features || r.plans || r.reverification || r.staff || r.superuser);
}

/** A machine caller: `@RequireScopes()` needs every scope; user requirements refuse it. */
function assertMachineAuthorized(scopes: readonly string[], requirements: ClerkRouteRequirements): void {
  if (hasUserRequirements(requirements)) throw new ForbiddenException('User access required');
  if (requirements.scopes && !requirements.scopes.every((scope) => scopes.includes(scope))) throw new ForbiddenException('Scope required');
}

/**
 * Every decorator on the route must pass (AND), each through Clerk's `has()` (`clerkHas`, the function
 * behind `@Auth().has()` and `ClerkAuthorization.has()`): one of the roles, every permission, one of
 * the features, one of the plans, then the reverification (last: a user refused for another reason
 * is not asked to verify again first). A machine caller accepted on the route meets `@RequireScopes()`
 * and nothing else (403); `@RequireScopes()` does not apply to users.
 */
export function assertAuthorized(request: Pick<ClerkAuthenticatedRequest, 'user' | 'auth'>, requirements: ClerkRouteRequirements): void {
  const { user, auth } = request;
  if (isMachineAuth(auth)) return assertMachineAuthorized(auth.scopes, requirements);
  if (!user || !auth) throw new UnauthorizedException();
  if (requirements.superuser && !user.isSuperuser) throw new ForbiddenException('Superuser access required');
  if (requirements.staff && !user.isStaff) throw new ForbiddenException('Staff access required');
  const needsOrg = requirements.org || requirements.orgRoles || requirements.orgPermissions;
  if (needsOrg && !auth.orgId) throw new ForbiddenException('Organization context required');
  const has = (params: ClerkHasParams): boolean => clerkHas(auth, params);
  if (requirements.orgRoles && !requirements.orgRoles.some(has)) throw new ForbiddenException('Organization role required');
  if (requirements.orgPermissions && !requirements.orgPermissions.every(has)) throw new ForbiddenException('Organization permission required');
  if (requirements.features && !requirements.features.some(has)) throw new ForbiddenException('Feature required');
  if (requirements.plans && !requirements.plans.some(has)) throw new ForbiddenException('Plan required');
  if (requirements.reverification && !has(requirements.reverification)) {
    throw new ClerkReverificationRequiredException(requirements.reverification.reverification);
  }
}

/** An impersonated Clerk session (`act` claim). */
export const isImpersonated = (auth: ClerkAuthenticatedRequest['auth']): auth is ClerkRequestAuth =>
  !!auth && auth.tokenType === 'session_token' && auth.actor !== null && auth.actor !== undefined;
