import { ClerkWebhookEventUser1764000000005 } from 'nestjs-clerk-users';

/**
 * The library's `clerk_webhook_events.clerk_user_id` column and index (its migration 1764000000005),
 * run after the sample's own schema: the same statements under the sample's timestamp.
 */
export class WebhookEventUser1764100000002 extends ClerkWebhookEventUser1764000000005 {
  override name = 'WebhookEventUser1764100000002';
}
