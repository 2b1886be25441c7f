import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { CLERK_IS_PUBLIC } from './auth.constants';
import { readRequirements, type ClerkRouteRequirements } from './clerk-authorization';

/** What a route asks of the guard, read once per (controller, handler) pair. */
export interface RoutePolicy {
  isPublic: boolean;
  requirements: ClerkRouteRequirements | null;
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
      policy = {
        isPublic: this.reflector.getAllAndOverride<boolean>(CLERK_IS_PUBLIC, [handler, controller]) ?? false,
        requirements: readRequirements(this.reflector, context),
      };
      byHandler.set(handler, policy);
    }
    return policy;
  }
}
