import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { Reflector } from '@nestjs/core';
import { ClerkAuthGuard } from '../auth/clerk-auth.guard.js';
import { isOptionalAuth, readRoutePolicy } from '../auth/route-policy.js';

function isClerkGuard(guard: unknown): boolean {
  if (guard instanceof ClerkAuthGuard) return true;
  return typeof guard === 'function' && (guard === ClerkAuthGuard || guard.prototype instanceof ClerkAuthGuard);
}

/**
 * Whether a request to `handler` of `controller` needs a Clerk credential: the guard runs there
 * (global guard, or `ClerkAuthGuard` through `@UseGuards()`/a `@Require…()` decorator) and the
 * route is not `@Public()` without requirements.
 */
export function isClerkGuardedRoute(reflector: Reflector, globalGuard: boolean, handler: Function, controller: Function): boolean {
  if (isOptionalAuth(readRoutePolicy(reflector, handler, controller))) return false;
  if (globalGuard) return true;
  const guards = reflector.getAllAndMerge<unknown[]>(GUARDS_METADATA, [handler, controller]);
  return guards.some(isClerkGuard);
}
