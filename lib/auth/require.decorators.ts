import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import {
  CLERK_MACHINE_ACCESS,
  CLERK_REQUIRE_ORG,
  CLERK_REQUIRE_ORG_PERMISSIONS,
  CLERK_REQUIRE_ORG_ROLES,
  CLERK_REQUIRE_STAFF,
  CLERK_REQUIRE_SUPERUSER,
} from './auth.constants.js';
import { ClerkAuthGuard } from './clerk-auth.guard.js';
import type { ClerkMachineTokenType } from './clerk-auth.interface.js';
import { machineAccess } from './machine-access.js';

type RouteDecorator = MethodDecorator & ClassDecorator;

// Each decorator brings ClerkAuthGuard along, so a requirement is enforced even with globalGuard: false.
const requirement = (key: string, value: unknown): RouteDecorator =>
  applyDecorators(SetMetadata(key, value), UseGuards(ClerkAuthGuard));

/** The token must carry an active organization (403 otherwise). */
export const RequireOrg = (): RouteDecorator => requirement(CLERK_REQUIRE_ORG, true);

/** The active organization role must be one of `roles` (`admin` matches `org:admin`). */
export const RequireOrgRole = (...roles: [string, ...string[]]): RouteDecorator => requirement(CLERK_REQUIRE_ORG_ROLES, roles);

/** Every one of `permissions` must be held in the active organization (`posts:read` matches `org:posts:read`). */
export const RequireOrgPermission = (...permissions: [string, ...string[]]): RouteDecorator =>
  requirement(CLERK_REQUIRE_ORG_PERMISSIONS, permissions);

/** The local user must be staff. */
export const RequireStaff = (): RouteDecorator => requirement(CLERK_REQUIRE_STAFF, true);

/** The local user must be a superuser. */
export const RequireSuperuser = (): RouteDecorator => requirement(CLERK_REQUIRE_SUPERUSER, true);

/**
 * Only machine callers (of `types`, default every kind `acceptsToken` names); a session token gets 401.
 * Machine tokens are verified only when `acceptsToken` names their kind.
 */
export const RequireMachine = (...types: ClerkMachineTokenType[]): RouteDecorator =>
  requirement(CLERK_MACHINE_ACCESS, machineAccess('require', types));

/** Machine callers (of `types`, default every kind `acceptsToken` names) are accepted besides users. */
export const AllowMachine = (...types: ClerkMachineTokenType[]): RouteDecorator =>
  requirement(CLERK_MACHINE_ACCESS, machineAccess('allow', types));
