import { Inject, Injectable } from '@nestjs/common';
import type { ClerkClient } from '@clerk/backend';
import { CLERK_CLIENT } from '../clerk-users.constants.js';
import { ClerkUsersService, type ClerkUserUpsertOutcome } from '../users/clerk-users.service.js';
import type { ClerkUserJson } from '../users/clerk-user-json.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';

/**
 * One user brought up to date from Clerk: the sync's own path for a single row (Clerk's user, then
 * `ClerkUsersService.upsertFromClerkUser`: the one mapping, the ordering guard, the linking rules,
 * the cache invalidation), without paging.
 */
@Injectable()
export class ConsoleUserResync {
  constructor(
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    private readonly users: ClerkUsersService,
  ) {}

  async resync(clerkId: string): Promise<{ user: AbstractClerkUser; outcome: ClerkUserUpsertOutcome }> {
    const clerkUser = await this.clerk.users.getUser(clerkId);
    return this.users.upsertFromClerkUser(clerkUser.raw as unknown as ClerkUserJson);
  }
}
