import { Inject, Injectable } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { revokedSessionCacheKey } from '../cache/cache-keys.js';

/** A revoked session can mint no new token, so remembering it as long as a cached verification may live is enough. */
const MIN_REVOCATION_TTL_MS = 60 * 60 * 1000;

/**
 * Sessions Clerk reported as ended, in the shared cache: a cached verification of one of their
 * tokens is refused at once on every instance.
 */
@Injectable()
export class ClerkSessionRevocations {
  constructor(
    private readonly cache: ClerkCacheService,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {}

  revoke(sessionId: string): Promise<void> {
    // A server session (option `sessions`) stands without a token for up to sessionRevalidationSeconds: outlive that too.
    const ttlMs = Math.max(MIN_REVOCATION_TTL_MS, this.options.cacheTtlSeconds * 1000, this.options.sessionRevalidationSeconds * 1000);
    return this.cache.set(revokedSessionCacheKey(sessionId), true, ttlMs);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.cache.get<boolean>(revokedSessionCacheKey(sessionId))) === true;
  }
}
