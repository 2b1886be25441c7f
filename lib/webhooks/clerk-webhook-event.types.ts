import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from '@clerk/backend/webhooks';

/** Event types Clerk's SDK knows, plus any other string (Clerk adds events over time). */
export type ClerkWebhookEventType = WebhookEvent['type'] | (string & NonNullable<unknown>);

/** An event whose type `@clerk/backend` does not describe. */
export interface UntypedClerkWebhookEvent<T extends string = string> {
  type: T;
  object: 'event';
  data: Record<string, unknown>;
  timestamp?: number;
  instance_id?: string;
  event_attributes?: Record<string, unknown>;
}

/** Members of Clerk's event union whose `type` covers `T` (Clerk groups e.g. created/updated in one member). */
type KnownEvent<T extends string> = WebhookEvent extends infer E ? (E extends { type: infer U } ? (T extends U ? Omit<E, 'type'> & { type: T } : never) : never) : never;

/** A verified Clerk webhook event; `ClerkWebhookEvent<'user.created'>` has Clerk's `UserJSON` as `data`. */
export type ClerkWebhookEvent<T extends string = string> = [KnownEvent<T>] extends [never] ? UntypedClerkWebhookEvent<T> : KnownEvent<T>;

/** What a handler gets besides the event. */
export interface ClerkWebhookContext {
  /** Svix message id: stable across retries of one delivery. */
  svixId: string;
  /** The event's transaction (in-transaction handlers). After commit: a manager outside any transaction. */
  manager: EntityManager;
}

/** A webhook handler function. Throwing (in-transaction) rolls the event back and answers 5xx. */
export type ClerkWebhookHandlerFn<T extends string = string> = (event: ClerkWebhookEvent<T>, context: ClerkWebhookContext) => unknown;

export interface ClerkWebhookHandlerOptions {
  /** Run after the event's transaction committed (side effects); failures are logged and recorded, never retried. */
  afterCommit?: boolean;
  /** Lower runs first; built-in handlers run before all. Default 0. */
  priority?: number;
}

/** `'*'` matches every event type. */
export type ClerkEventSelector = ClerkWebhookEventType | '*';
