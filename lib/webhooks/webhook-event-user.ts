import type { ClerkWebhookEvent } from './clerk-webhook-event.types.js';

/** Clerk's user id shape; the `clerk_user_id` column holds nothing else. */
const CLERK_USER_ID = /^user_[A-Za-z0-9]+$/;
const MAX_CLERK_USER_ID_LENGTH = 64;

const asClerkUserId = (value: unknown): string | null =>
  typeof value === 'string' && value.length <= MAX_CLERK_USER_ID_LENGTH && CLERK_USER_ID.test(value) ? value : null;

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

/**
 * The Clerk user an event is about, as recorded in `clerk_webhook_events.clerk_user_id`: `user.*` →
 * `data.id`; `session.*`, `email.*`, `sms.*` → `data.user_id`; `organizationMembership.*` →
 * `data.public_user_data.user_id`. `null` for other events and for anything not shaped like a Clerk
 * user id (a malformed payload records `null`, it never fails here).
 */
export function clerkUserIdOfEvent(event: Pick<ClerkWebhookEvent, 'type' | 'data'>): string | null {
  const data: unknown = event.data;
  const prefix = typeof event.type === 'string' ? event.type.slice(0, event.type.indexOf('.') + 1) : '';
  switch (prefix) {
    case 'user.':
      return asClerkUserId(field(data, 'id'));
    case 'session.':
    case 'email.':
    case 'sms.':
      return asClerkUserId(field(data, 'user_id'));
    case 'organizationMembership.':
      return asClerkUserId(field(field(data, 'public_user_data'), 'user_id'));
    default:
      return null;
  }
}
