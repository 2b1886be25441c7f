import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import {
  CLERK_ALLOW_PENDING_SESSION,
  CLERK_IMPERSONATION,
  CLERK_MACHINE_ACCESS,
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
import { ClerkAuthGuard } from './clerk-auth.guard.js';
import type { ClerkMachineTokenType } from './clerk-auth.interface.js';
import { machineAccess } from './machine-access.js';
import type { ClerkHasParams } from './authorization/clerk-has.js';
import { resolveReverification, type ClerkReverificationConfig } from './authorization/reverification.js';

type RouteDecorator = MethodDecorator & ClassDecorator;

// Each decorator brings ClerkAuthGuard along, so a requirement is enforced even with globalGuard: false.
const requirement = (key: string, value: unknown): RouteDecorator =>
  applyDecorators(SetMetadata(key, value), UseGuards(ClerkAuthGuard));

/** The `has()` questions of a decorator, built once here rather than on every request. */
const questions = (kind: keyof ClerkHasParams, names: readonly string[]): readonly ClerkHasParams[] =>
  Object.freeze(names.map((name) => Object.freeze({ [kind]: name })));

/** Names must be non-empty text: a typo in a decorator fails at startup, not as a 403 on every request. */
function checkedNames(decorator: string, names: readonly unknown[]): string[] {
  if (!names.length) throw new TypeError(`${decorator}() needs at least one name`);
  const bad = names.find((name) => typeof name !== 'string' || !name.trim());
  if (bad !== undefined) throw new TypeError(`${decorator}(): ${JSON.stringify(bad)} is not a name`);
  return names as string[];
}

const KNOWN_SCOPES = new Set(['o', 'org', 'organization', 'u', 'user']);

/** A billing name as Clerk's `has({ feature | plan })` reads it: `name`, or one of its scopes and a name. */
function checkedEntitlements(decorator: string, names: readonly unknown[]): string[] {
  for (const name of checkedNames(decorator, names)) {
    const [scope, id, extra] = name.split(':');
    if (extra !== undefined || (id !== undefined && (!KNOWN_SCOPES.has(scope) || !id))) throw new TypeError(`${decorator}(): "${name}" must be "name", "u:name" or "o:name"`);
  }
  return names as string[];
}

/** The token must carry an active organization (403 otherwise). */
export const RequireOrg = (): RouteDecorator => requirement(CLERK_REQUIRE_ORG, true);

/** The active organization role must be one of `roles` (`admin` matches `org:admin`). */
export const RequireOrgRole = (...roles: [string, ...string[]]): RouteDecorator =>
  requirement(CLERK_REQUIRE_ORG_ROLES, questions('role', checkedNames('@RequireOrgRole', roles)));

/** Every one of `permissions` must be held in the active organization (`posts:read` matches `org:posts:read`). */
export const RequireOrgPermission = (...permissions: [string, ...string[]]): RouteDecorator =>
  requirement(CLERK_REQUIRE_ORG_PERMISSIONS, questions('permission', checkedNames('@RequireOrgPermission', permissions)));

/**
 * One of `features` must be in the token's `fea` claim (Clerk Billing): `name` in either scope,
 * `u:name` the user's, `o:name` the active organization's. 403 otherwise.
 */
export const RequireFeature = (...features: [string, ...string[]]): RouteDecorator =>
  requirement(CLERK_REQUIRE_FEATURES, questions('feature', checkedEntitlements('@RequireFeature', features)));

/** One of `plans` must be in the token's `pla` claim (Clerk Billing), scoped as in `@RequireFeature()`. 403 otherwise. */
export const RequirePlan = (...plans: [string, ...string[]]): RouteDecorator =>
  requirement(CLERK_REQUIRE_PLANS, questions('plan', checkedEntitlements('@RequirePlan', plans)));

/**
 * The session's factors must have been verified recently (`fva`): a preset (`strict_mfa`, `strict`,
 * `moderate`, `lax`) or `{ level, afterMinutes }`. Otherwise 403 with Clerk's `reverificationError`
 * body, which the frontend's `useReverification()` answers with its verification modal and a retry.
 */
export const RequireReverification = (config: ClerkReverificationConfig): RouteDecorator => {
  if (!resolveReverification(config)) {
    throw new TypeError(`@RequireReverification(): ${JSON.stringify(config)} is neither a preset (strict_mfa, strict, moderate, lax) nor { level, afterMinutes }`);
  }
  const asked = typeof config === 'string' ? config : Object.freeze({ level: config.level, afterMinutes: config.afterMinutes });
  return requirement(CLERK_REQUIRE_REVERIFICATION, Object.freeze({ reverification: asked }));
};

/**
 * A machine caller (M2M token, API key, OAuth token) must hold every one of `scopes` (403
 * otherwise). Combine with `@RequireMachine()` / `@AllowMachine()`, which let machines in; users
 * (session tokens) are not subject to scopes.
 */
export const RequireScopes = (...scopes: [string, ...string[]]): RouteDecorator =>
  requirement(CLERK_REQUIRE_SCOPES, Object.freeze([...checkedNames('@RequireScopes', scopes)]));

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

/**
 * Pending sessions (`sts: pending`: the user still has a session task, such as choosing an
 * organization) are let in, with `@CurrentUser()` set and `request.auth.sessionStatus === 'pending'`.
 * Everywhere else they are signed out (401), as Clerk's `treatPendingAsSignedOut`.
 */
export const AllowPendingSession = (): RouteDecorator => SetMetadata(CLERK_ALLOW_PENDING_SESSION, true);

/** An impersonated session (Clerk's `act` claim) gets 403 here, whatever the `impersonation` option says. */
export const DenyImpersonation = (): RouteDecorator => requirement(CLERK_IMPERSONATION, 'deny');

/** An impersonated session is let in here although the `impersonation` option is `'deny'`. */
export const AllowImpersonation = (): RouteDecorator => SetMetadata(CLERK_IMPERSONATION, 'allow');
