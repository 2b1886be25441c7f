import { Inject, Injectable } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { revokedSessionCacheKey } from '../cache/cache-keys.js';
import { SecurityStateStore } from '../cache/security-state-store.js';

/** A revoked session can mint no new token, so remembering it as long as a cached verification may live is enough. */
const MIN_REVOCATION_TTL_MS = 60 * 60 * 1000;

/**
 * Sessions Clerk reported as ended, in the shared cache: a cached verification of one of their
 * tokens is refused at once on every instance. Without a shared cache they live in a process-local
 * {@link SecurityStateStore} of their own, never evicted before they expire: nothing a request can
 * make the general cache hold pushes a revocation out. That map has no count bound: only a
 * Svix-signed Clerk event adds an entry (one per ended session, each dropped once it expires), so
 * its size follows the rate at which the Clerk instance ends sessions, not anything a client sends.
 */
@Injectable()
export class ClerkSessionRevocations {
  private readonly revoked: SecurityStateStore;

  constructor(
    cache: ClerkCacheService,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {
    this.revoked = new SecurityStateStore(cache, Infinity);
  }

  async revoke(sessionId: string): Promise<void> {
    // A server session (option `sessions`) stands without a token for up to sessionRevalidationSeconds: outlive that too.
    const ttlMs = Math.max(MIN_REVOCATION_TTL_MS, this.options.cacheTtlSeconds * 1000, this.options.sessionRevalidationSeconds * 1000);
    await this.revoked.set(revokedSessionCacheKey(sessionId), true, ttlMs);
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.revoked.get<boolean>(revokedSessionCacheKey(sessionId))) === true;
  }
}
