import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ClerkClient } from '@clerk/backend';
import type { Repository } from 'typeorm';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { userCacheKey } from '../cache/cache-keys.js';
import { withClerkRetry, type RetryPolicy } from '../sync/clerk-api-retry.js';
import { ClerkWebhookHandlers } from '../webhooks/clerk-webhook-handlers.service.js';
import type { AbstractClerkUser } from './abstract-clerk-user.entity.js';
import { registerUsernamePolicy, unusedGeneratedUsername, type UsernamePolicy } from './username-generator.js';

/** Clerk's answer for a username another Clerk user holds (422 `form_identifier_exists` on `username`). */
export function isDuplicateUsername(error: unknown): boolean {
  const first = (error as { errors?: Array<{ code?: unknown; meta?: { paramName?: unknown } }> })?.errors?.[0];
  return (error as { status?: unknown })?.status === 422 && first?.code === 'form_identifier_exists' && first.meta?.paramName === 'username';
}

/** Names tried in Clerk before giving up on a user (the seed's limit for derived usernames). */
const PUSH_ATTEMPTS = 5;

/**
 * Option `autoGenerateUsername`: registers the username policy of the user entity (the one upsert
 * of webhooks, sync and first requests then generates a name once for users Clerk has none for)
 * and, with `pushToClerk`, writes generated names to Clerk after each `user.created`/`user.updated`
 * webhook that arrives without one, so Clerk and the table agree.
 */
@Injectable()
export class ClerkUsernames implements OnModuleInit {
  private readonly logger = new Logger('ClerkUsernames');
  /** `null` when generation is off. */
  readonly policy: UsernamePolicy | null;

  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<AbstractClerkUser>,
    @Inject(CLERK_RESOLVED_OPTIONS) options: ResolvedClerkUsersOptions,
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    private readonly cache: ClerkCacheService,
    private readonly handlers: ClerkWebhookHandlers,
  ) {
    this.policy = registerUsernamePolicy(repository.metadata, options.autoGenerateUsername);
  }

  onModuleInit(): void {
    // Registered only when on: an after-commit handler costs nothing to apps that never generate.
    if (!this.policy?.pushToClerk) return;
    this.handlers.register<'user.created' | 'user.updated'>(
      ['user.created', 'user.updated'],
      async (event) => {
        if (!event.data.username) await this.pushToClerk(event.data.id);
      },
      { afterCommit: true },
      'ClerkUsernames.pushToClerk',
    );
  }

  /**
   * Writes the local username of a Clerk user to Clerk. When Clerk says another user holds it, the
   * row takes a new generated name and that one is tried, up to 5 names. Returns the name Clerk
   * took, or `null` when the row has none (or is gone).
   */
  async pushToClerk(clerkId: string, options: { prefix?: string; retry?: RetryPolicy } = {}): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.repository.findOne({ where: { clerkId } as never, select: { id: true, username: true } as never });
      if (!row?.username) return null;
      try {
        await withClerkRetry(() => this.clerk.users.updateUser(clerkId, { username: row.username as string }), options.retry);
        return row.username;
      } catch (error) {
        if (!isDuplicateUsername(error) || attempt >= PUSH_ATTEMPTS) throw error;
        const replacement = await unusedGeneratedUsername(this.repository, options.prefix ?? this.policy?.prefix ?? 'user');
        // Only while the row still holds the refused name: a rename meanwhile wins.
        await this.repository.update({ id: row.id, username: row.username } as never, { username: replacement } as never);
        await this.cache.delete(userCacheKey(clerkId));
        this.logger.warn(`username of ${clerkId} is taken in Clerk; trying a new generated one`);
      }
    }
  }
}
