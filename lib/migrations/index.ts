import { CreateClerkUsers1764000000000 } from './1764000000000-CreateClerkUsers';

export { CreateClerkUsers1764000000000 };

/** Migrations for the default entities; add them to your DataSource's `migrations`. */
export const clerkUsersMigrations = [CreateClerkUsers1764000000000];
