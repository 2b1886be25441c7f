import { CreateClerkUsers1764000000000 } from './1764000000000-CreateClerkUsers.js';
import { ClerkWebhookEvents1764000000001 } from './1764000000001-ClerkWebhookEvents.js';
import { ClerkUserPassword1764000000003 } from './1764000000003-ClerkUserPassword.js';
import { ClerkWebhookEventUser1764000000005 } from './1764000000005-ClerkWebhookEventUser.js';

export { CreateClerkUsers1764000000000, ClerkWebhookEvents1764000000001, ClerkUserPassword1764000000003, ClerkWebhookEventUser1764000000005 };

/** Migrations for the default entities; add them to your DataSource's `migrations`. */
export const clerkUsersMigrations = [CreateClerkUsers1764000000000, ClerkWebhookEvents1764000000001, ClerkUserPassword1764000000003, ClerkWebhookEventUser1764000000005];

export { ClerkOrganizations1764000000002 } from './1764000000002-ClerkOrganizations.js';
import { ClerkOrganizations1764000000002 } from './1764000000002-ClerkOrganizations.js';
export { ClerkInvitationAcceptedBy1764000000004 } from './1764000000004-ClerkInvitationAcceptedBy.js';
import { ClerkInvitationAcceptedBy1764000000004 } from './1764000000004-ClerkInvitationAcceptedBy.js';

/** Migrations of `OrganizationsModule`, to run after `clerkUsersMigrations`. */
export const clerkOrganizationMigrations = [ClerkOrganizations1764000000002, ClerkInvitationAcceptedBy1764000000004];
export { ClerkConsole1764000000017 } from './1764000000017-ClerkConsole.js';
import { ClerkConsole1764000000017 } from './1764000000017-ClerkConsole.js';

/** Migrations of the staff console (`nestjs-clerk-users/console`), to run after `clerkUsersMigrations` (or the app's own user migration). */
export const clerkConsoleMigrations = [ClerkConsole1764000000017];
