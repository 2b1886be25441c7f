/** A `ClerkAccountsService` method was given a local user row without a `clerkId`: there is no Clerk user to act on. */
export class ClerkUserNotLinkedError extends Error {
  constructor(readonly localUserId: string | undefined) {
    super(
      `local user ${localUserId ?? '(unsaved)'} has no clerkId: it is not linked to a Clerk user; create it in Clerk first (ClerkAccountsService.createUser) or pass a Clerk user id`,
    );
    this.name = 'ClerkUserNotLinkedError';
  }
}
