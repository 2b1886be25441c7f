/** The Clerk user does not exist (deleted after the token was issued). */
export class ClerkUserNotFoundError extends Error {
  constructor() {
    super('Clerk user not found');
    this.name = 'ClerkUserNotFoundError';
  }
}
