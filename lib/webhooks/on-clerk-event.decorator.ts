import { CLERK_EVENT_HANDLER } from './webhook.constants.js';
import type { ClerkEventSelector, ClerkWebhookHandlerOptions } from './clerk-webhook-event.types.js';

/** One `@OnClerkEvent()` on a method. */
export interface ClerkEventHandlerMetadata extends ClerkWebhookHandlerOptions {
  types: ClerkEventSelector[];
}

/**
 * Runs the method for Clerk webhook events of `types` (or `'*'`). The method gets
 * `(event, { manager, svixId })` and runs inside the event's transaction unless `afterCommit`.
 */
export function OnClerkEvent(types: ClerkEventSelector | ClerkEventSelector[], options: ClerkWebhookHandlerOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    const list: ClerkEventHandlerMetadata[] = Reflect.getMetadata(CLERK_EVENT_HANDLER, target, propertyKey) ?? [];
    Reflect.defineMetadata(CLERK_EVENT_HANDLER, [...list, { types: Array.isArray(types) ? types : [types], ...options }], target, propertyKey);
  };
}
