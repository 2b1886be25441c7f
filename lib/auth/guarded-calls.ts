import type { ExecutionContext } from '@nestjs/common';

/**
 * Calls a Clerk guard already let through. Nest hands every guard of one call (global, class and
 * route guards) the same arguments array, so it identifies the call: an app's own `ClerkAuthGuard`
 * subclass installed as `APP_GUARD` decides, and the base guard the `@Require…()` decorators attach
 * for apps without a global guard does not run a second time with the default rules.
 */
const guardedCalls = new WeakSet<object>();

export function guardedAlready(context: ExecutionContext): boolean {
  return guardedCalls.has(context.getArgs());
}

export function markGuarded(context: ExecutionContext): void {
  guardedCalls.add(context.getArgs());
}
