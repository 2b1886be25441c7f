import { CreateClerkUsers1764000000000 } from './1764000000000-CreateClerkUsers';
import { ClerkWebhookEvents1764000000001 } from './1764000000001-ClerkWebhookEvents';

export { CreateClerkUsers1764000000000, ClerkWebhookEvents1764000000001 };

/** Migrations for the default entities; add them to your DataSource's `migrations`. */
export const clerkUsersMigrations = [CreateClerkUsers1764000000000, ClerkWebhookEvents1764000000001];
