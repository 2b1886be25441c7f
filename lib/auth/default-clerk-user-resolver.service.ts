import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { ClerkClient } from '@clerk/backend';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS, CLERK_USER_REPOSITORY } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { userCacheKey } from '../cache/cache-keys.js';
import type { ClerkRequestAuth } from './clerk-auth.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkUserJson } from '../users/clerk-user-json.interface.js';
import { ClerkUsersService } from '../users/clerk-users.service.js';
import { ClerkUserNotFoundError } from '../users/clerk-user-not-found.error.js';
import { ClerkUserResolver } from './clerk-user-resolver.js';
import { SingleFlight } from '../common/single-flight.js';
import { fromCachedRow, toCachedRow } from '../cache/cached-row.js';
import { ClerkApiUnavailableException, describeClerkApiFailure } from '../clerk-client/clerk-api-unavailable.exception.js';
import { recordUserCacheLookup, recordUserProvisioned } from '../metrics/clerk-metrics.js';

/**
 * Turns a verified token into the local user row: cache, then database, then (first request
 * only) provisioning from the Clerk record, one API call once per user. When that call times out
 * (`apiTimeoutMs`) or fails, the request gets a 503 (`ClerkApiUnavailableException`), nothing is
 * written, and the next request asks Clerk again.
 */
@Injectable()
export class DefaultClerkUserResolver<T extends AbstractClerkUser = AbstractClerkUser> extends ClerkUserResolver<T> {
  private readonly logger = new Logger('ClerkUserResolver');
  private readonly provisioning = new SingleFlight<string, T>();

  constructor(
    @Inject(CLERK_USER_REPOSITORY) private readonly repository: Repository<T>,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
    private readonly users: ClerkUsersService<T>,
    private readonly cache: ClerkCacheService,
  ) {
    super();
  }

  async resolve(auth: ClerkRequestAuth): Promise<T> {
    const key = userCacheKey(auth.userId);
    const cached = await this.cache.get<Record<string, unknown>>(key);
    recordUserCacheLookup(cached ? 'hit' : 'miss');
    if (cached) return fromCachedRow(this.repository, cached);

    const user = (await this.users.findByClerkId(auth.userId)) ?? (await this.provisionOnce(auth));
    await this.cache.set(key, toCachedRow(this.repository, user), this.options.cacheTtlSeconds * 1000);
    return user;
  }

  /**
   * Concurrent first requests of one user in this process share one provisioning; a failed or
   * timed-out one is forgotten as it settles, so the next request starts afresh.
   */
  private provisionOnce(auth: ClerkRequestAuth): Promise<T> {
    return this.provisioning.run(auth.userId, () => this.provision(auth));
  }

  private async provision(auth: ClerkRequestAuth): Promise<T> {
    // A request that looked before another one finished provisioning must not fetch the user again.
    const existing = await this.users.findByClerkId(auth.userId);
    if (existing) return existing;
    if (this.options.secretKey) {
      const json = await this.fetchClerkUser(auth.userId);
      recordUserProvisioned('api');
      return (await this.users.upsertFromClerkUser(json)).user;
    }
    recordUserProvisioned('claims');
    return this.provisionFromClaims(auth);
  }

  /**
   * The Clerk record, bounded by `apiTimeoutMs` (the injected client's deadline). Any failure but a
   * 404 is a 503: a row made from the claims alone would lack the email that linking and the app need.
   */
  private async fetchClerkUser(userId: string): Promise<ClerkUserJson> {
    let json: ClerkUserJson | null;
    try {
      json = ((await this.clerk.users.getUser(userId)).raw ?? null) as ClerkUserJson | null;
    } catch (error) {
      const status = (error as { status?: unknown } | null)?.status;
      if (status === 404) throw new ClerkUserNotFoundError();
      const failure = `first-request lookup of a new user in Clerk failed (${describeClerkApiFailure(error)}); answering 503`;
      // 401/403 will not pass by itself: the secret key is wrong or revoked.
      if (status === 401 || status === 403) this.logger.error(`${failure}: check option "secretKey" (CLERK_SECRET_KEY)`);
      else this.logger.warn(failure);
      throw new ClerkApiUnavailableException(error);
    }
    if (!json) {
      this.logger.warn('first-request lookup of a new user in Clerk returned no JSON record; answering 503');
      throw new ClerkApiUnavailableException();
    }
    return json;
  }

  /** Without a secret key the row starts from the claims (the users mapper's `mapSessionClaims`); webhooks fill it in. Never links. */
  private async provisionFromClaims(auth: ClerkRequestAuth): Promise<T> {
    const user = await this.users.createFromSessionClaims(auth.userId, auth.claims);
    if (!user) throw new ClerkUserNotFoundError();
    return user;
  }
}
