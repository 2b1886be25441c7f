import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import {
  CLERK_REQUIRE_ORG,
  CLERK_REQUIRE_ORG_PERMISSIONS,
  CLERK_REQUIRE_ORG_ROLES,
  CLERK_REQUIRE_STAFF,
  CLERK_REQUIRE_SUPERUSER,
} from './auth.constants.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import { isMachineAuth } from './machine-token-type.js';

/** Authorization requirements of one route, handler metadata overriding class metadata. */
export interface ClerkRouteRequirements {
  org: boolean;
  orgRoles: string[] | undefined;
  orgPermissions: string[] | undefined;
  staff: boolean;
  superuser: boolean;
}

const withOrgPrefix = (value: string): string => (value.startsWith('org:') ? value : `org:${value}`);

/** Requirements of `handler` in `controller` (handler metadata overrides class metadata); `null` when none. */
export function readRequirements(reflector: Reflector, handler: Function, controller: Function): ClerkRouteRequirements | null {
  const targets = [handler, controller];
  const requirements: ClerkRouteRequirements = {
    org: reflector.getAllAndOverride<boolean>(CLERK_REQUIRE_ORG, targets) ?? false,
    orgRoles: reflector.getAllAndOverride<string[]>(CLERK_REQUIRE_ORG_ROLES, targets),
    orgPermissions: reflector.getAllAndOverride<string[]>(CLERK_REQUIRE_ORG_PERMISSIONS, targets),
    staff: reflector.getAllAndOverride<boolean>(CLERK_REQUIRE_STAFF, targets) ?? false,
    superuser: reflector.getAllAndOverride<boolean>(CLERK_REQUIRE_SUPERUSER, targets) ?? false,
  };
  const any = requirements.org || requirements.orgRoles || requirements.orgPermissions || requirements.staff || requirements.superuser;
  return any ? requirements : null;
}

/**
 * Clerk `has()` semantics: `admin` matches `org:admin`; the role must be one of the listed roles,
 * every listed permission must be held, and every decorator on the route must pass (AND). Every
 * requirement is about a user, so a machine caller (accepted on the route) gets 403.
 */
export function assertAuthorized(request: Pick<ClerkAuthenticatedRequest, 'user' | 'auth'>, requirements: ClerkRouteRequirements): void {
  const { user, auth } = request;
  if (isMachineAuth(auth)) throw new ForbiddenException('User access required');
  if (!user || !auth) throw new UnauthorizedException();
  if (requirements.superuser && !user.isSuperuser) throw new ForbiddenException('Superuser access required');
  if (requirements.staff && !user.isStaff) throw new ForbiddenException('Staff access required');
  const needsOrg = requirements.org || requirements.orgRoles || requirements.orgPermissions;
  if (needsOrg && !auth.orgId) throw new ForbiddenException('Organization context required');
  if (requirements.orgRoles) {
    const role = auth.orgRole ? withOrgPrefix(auth.orgRole) : null;
    if (!role || !requirements.orgRoles.some((wanted) => withOrgPrefix(wanted) === role)) {
      throw new ForbiddenException('Organization role required');
    }
  }
  if (requirements.orgPermissions) {
    const held = new Set(auth.orgPermissions);
    if (!requirements.orgPermissions.every((wanted) => held.has(withOrgPrefix(wanted)))) {
      throw new ForbiddenException('Organization permission required');
    }
  }
}
