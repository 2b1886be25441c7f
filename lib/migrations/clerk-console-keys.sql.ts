/**
 * The sort and search expressions of the staff console (`nestjs-clerk-users/console`), shared by its
 * migration (which indexes them) and its queries (which must spell them the same way for PostgreSQL to
 * use those indexes).
 *
 * Every key is an expression, never a bare column, on purpose: TypeORM's schema builder only reads
 * indexes whose keys are columns, so `synchronize` and `migration:generate` neither see nor drop these
 * (a plain `("createdAt", "id")` index would come back as a `DROP INDEX` in the app's next generated
 * migration, since the user entity does not declare it).
 */

/** Quoted column names of the user table (from the DataSource's metadata). */
export interface ConsoleUserColumns {
  id: string;
  createdAt: string;
  clerkId: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  isActive: string;
  isStaff: string;
  isSuperuser: string;
}

/** Quoted column names of the webhook event table. */
export interface ConsoleWebhookColumns {
  svixId: string;
  receivedAt: string;
  processedAt: string;
}

/** Newest first: `(created, id)` descending; both keys are text-comparable expressions. */
export const userSortKeys = (c: ConsoleUserColumns): [string, string] => [`timezone('UTC', ${c.createdAt})`, `(${c.id}::text)`];

/** What a search matches by prefix, lower-cased: email, username, "first last", last name, Clerk id. */
export const userSearchKeys = (c: ConsoleUserColumns): string[] => [
  `lower(${c.email})`,
  `lower(${c.username})`,
  `lower(${c.firstName} || ' ' || ${c.lastName})`,
  `lower(${c.lastName})`,
  `lower(${c.clerkId})`,
];

/** Rare subsets listed on their own (inactive, staff, superusers, accounts without a Clerk id): a small partial index each. */
export const userFilterPredicates = (c: ConsoleUserColumns): Record<string, string> => ({
  inactive: `NOT ${c.isActive}`,
  staff: `${c.isStaff}`,
  superuser: `${c.isSuperuser}`,
  noclerk: `${c.clerkId} IS NULL`,
});

/** Failures first, then newest: `(failed, received, svix id)` descending. */
export const webhookSortKeys = (c: ConsoleWebhookColumns): [string, string, string] => [
  `(${c.processedAt} IS NULL)`,
  `timezone('UTC', ${c.receivedAt})`,
  `(${c.svixId}::text)`,
];

/** The receive time as the 24-hour counts range over it. */
export const webhookReceivedKey = (c: ConsoleWebhookColumns): string => `timezone('UTC', ${c.receivedAt})`;
