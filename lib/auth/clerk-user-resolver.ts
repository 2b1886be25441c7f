import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkRequestAuth } from './clerk-auth.interface.js';

/**
 * Turns a verified Clerk session into the local user row: the pipeline's user-resolution step.
 * An abstract class, so it is its own injection token (as `@nestjs/cache-manager`'s are): the module
 * provides `DefaultClerkUserResolver`; replace it with the `userResolver` extra of
 * `ClerkUsersModule.forRoot()`/`forRootAsync()` (or `overrideProvider(ClerkUserResolver)` in tests).
 * Throw `ClerkUserNotFoundError` for a user that does not exist (a 401); anything else is a 5xx.
 */
export abstract class ClerkUserResolver<T extends AbstractClerkUser = AbstractClerkUser> {
  abstract resolve(auth: ClerkRequestAuth): Promise<T>;
}
