import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ClerkClient } from '../clerk-client/clerk-client.provider.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkApiTimeoutError } from '../clerk-client/clerk-api-deadline.js';

/** Options of {@link ClerkHealthIndicator.isHealthy}. */
export interface ClerkHealthCheckOptions {
  /** The Backend API counts as down when it has not answered within this time. Default 3000 ms, or `apiTimeoutMs` when lower. */
  timeoutMs?: number;
  /** How long one result (up or down) answers every health request, so a hammered endpoint does not hammer Clerk. Default 5000 ms. */
  cacheMs?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_CACHE_MS = 5000;

/** Why a JWKS request failed, without anything secret in it. */
function describeFailure(error: unknown): string {
  if (error instanceof ClerkApiTimeoutError) return `Clerk Backend API did not answer within ${error.timeoutMs} ms`;
  const status = (error as { status?: unknown } | undefined)?.status;
  if (status === 401 || status === 403) return `Clerk Backend API refused the secret key (${status})`;
  if (typeof status === 'number') return `Clerk Backend API answered ${status}`;
  return 'Clerk Backend API unreachable';
}

/**
 * `@nestjs/terminus` indicator for Clerk: with a `secretKey` it fetches the JWKS from the Backend API
 * (what token verification and user provisioning depend on); with only `jwtKey` verification is
 * networkless and it reports up without a call. It runs only when the health endpoint is called, and
 * one result is shared for `cacheMs`, concurrent checks included.
 */
@Injectable()
export class ClerkHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    @Inject(CLERK_CLIENT) private readonly clerk: ClerkClient,
  ) {}

  /** `{ [key]: { status: 'up' | 'down', verification, … } }`; a down result makes `HealthCheckService.check` answer 503. */
  async isHealthy<const Key extends string = 'clerk'>(key: Key = 'clerk' as Key, options: ClerkHealthCheckOptions = {}): Promise<HealthIndicatorResult<Key>> {
    const session = this.health.check(key);
    const verification = this.options.jwtKey ? 'networkless' : 'jwks';
    if (!this.options.secretKey) return session.up({ verification, backendApi: 'not configured' });
    return session
      .attempt(async () => {
        try {
          await this.clerk.jwks.getJwks();
        } catch (error) {
          throw new Error(describeFailure(error));
        }
        return { verification, backendApi: 'reachable' };
      })
      .withTimeout(options.timeoutMs ?? Math.min(DEFAULT_TIMEOUT_MS, this.options.apiTimeoutMs))
      .cacheFor(options.cacheMs ?? DEFAULT_CACHE_MS);
  }
}
