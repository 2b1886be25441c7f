import { Injectable } from '@nestjs/common';
import type { ClerkAuth } from '../clerk-auth.interface.js';
import { clerkHas, type ClerkHasParams } from './clerk-has.js';

/**
 * Clerk's `has()` for services and GraphQL resolvers: `has(request.auth, { role | permission |
 * feature | plan | reverification })`, the same function the `@Require…()` decorators use.
 */
@Injectable()
export class ClerkAuthorization {
  /** Whether `auth` passes every dimension of `params` (Clerk's semantics); `false` for no caller, a machine or a password login. */
  has(auth: ClerkAuth | null | undefined, params: ClerkHasParams): boolean {
    return clerkHas(auth, params);
  }
}
