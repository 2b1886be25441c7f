import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { CLERK_ALLOW_PENDING_SESSION, CLERK_IMPERSONATION, CLERK_IS_PUBLIC, CLERK_MACHINE_ACCESS } from './auth.constants.js';
import { readRequirements, type ClerkRouteRequirements } from './clerk-authorization.js';
import type { ClerkMachineAccess } from './machine-access.js';
import type { ClerkImpersonationPolicy } from '../options/clerk-users-options.interface.js';

/** What a route asks of the guard, read once per (controller, handler) pair. */
export interface RoutePolicy {
  isPublic: boolean;
  requirements: ClerkRouteRequirements | null;
  /** `@RequireMachine()` / `@AllowMachine()`; `null`: machine tokens are refused. */
  machines: ClerkMachineAccess | null;
  /** `@AllowPendingSession()`: a session with `sts: pending` is signed in here (elsewhere it is signed out). */
  allowPendingSession: boolean;
  /** `@DenyImpersonation()` / `@AllowImpersonation()`; `null`: the module's `impersonation` option decides. */
  impersonation: ClerkImpersonationPolicy | null;
}

/** The policy of `handler` in `controller`, handler metadata overriding class metadata. */
export function readRoutePolicy(reflector: Reflector, handler: Function, controller: Function): RoutePolicy {
  const targets = [handler, controller];
  return {
    isPublic: reflector.getAllAndOverride<boolean>(CLERK_IS_PUBLIC, targets) ?? false,
    requirements: readRequirements(reflector, handler, controller),
    machines: reflector.getAllAndOverride<ClerkMachineAccess>(CLERK_MACHINE_ACCESS, targets) ?? null,
    allowPendingSession: reflector.getAllAndOverride<boolean>(CLERK_ALLOW_PENDING_SESSION, targets) ?? false,
    impersonation: reflector.getAllAndOverride<ClerkImpersonationPolicy>(CLERK_IMPERSONATION, targets) ?? null,
  };
}

/** Whether the route lets a request through without credentials (`@Public()` with no requirement). */
export function isOptionalAuth(policy: RoutePolicy): boolean {
  return policy.isPublic && !policy.requirements && policy.machines?.mode !== 'require';
}

/**
 * Route metadata is fixed after bootstrap, so it is read through the Reflector once per handler
 * instead of on every request.
 */
export class RoutePolicyCache {
  private readonly byClass = new WeakMap<object, WeakMap<object, RoutePolicy>>();

  constructor(private readonly reflector: Reflector) {}

  get(context: ExecutionContext): RoutePolicy {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.byClass.get(controller);
    if (!byHandler) this.byClass.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) {
      policy = readRoutePolicy(this.reflector, handler, controller);
      byHandler.set(handler, policy);
    }
    return policy;
  }
}
