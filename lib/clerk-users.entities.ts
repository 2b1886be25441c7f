import { ClerkUser } from './users/clerk-user.entity.js';
import { ClerkWebhookEventRecord } from './webhooks/clerk-webhook-event-record.entity.js';

/** The default entities, for a DataSource that lists `entities` instead of `autoLoadEntities`. */
export const clerkUsersEntities = [ClerkUser, ClerkWebhookEventRecord];
