import { Inject, Injectable, Logger } from '@nestjs/common';
import { verifyMachineAuthToken } from '@clerk/backend/internal';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import type { ClerkMachineAuth, ClerkMachineTokenType } from './clerk-auth.interface.js';
import { MAX_TOKEN_LENGTH } from './clerk-token-verifier.service.js';
import { machineAuthFromVerified, type VerifiedMachineToken } from './machine-auth.mapper.js';
import { isMachineTokenType } from './machine-token-type.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import { ClerkApiTimeoutError, withDeadline } from '../clerk-client/clerk-api-deadline.js';
import { ClerkApiUnavailableException, describeClerkApiFailure } from '../clerk-client/clerk-api-unavailable.exception.js';

// Codes of @clerk/backend's MachineTokenVerificationError that mean "our side is wrong", not "bad token".
const SERVER_SIDE_CODES = new Set(['secret-key-invalid', 'unexpected-error']);

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'machine-token-verification-failed';
}

/**
 * Clerk did not answer a verification call of an opaque token: `@clerk/backend` reports no HTTP
 * answer (a network failure) and a 5xx or 429 alike as `unexpected-error`, told apart by `status`.
 */
function isClerkUnavailable(error: unknown): boolean {
  const status = (error as { status?: unknown } | undefined)?.status;
  return errorCode(error) === 'unexpected-error' && (typeof status !== 'number' || status >= 500 || status === 429);
}

/**
 * Verifies machine tokens (M2M tokens, API keys, OAuth access tokens; opaque or JWT) with
 * `@clerk/backend`'s `verifyMachineAuthToken`: a Backend API call for opaque tokens, a signature
 * check for JWTs. Results are cached by token hash like session tokens (until the token expires,
 * at most `cacheTtlSeconds`), so a repeat request makes no Clerk call. Kinds missing from
 * `acceptsToken` are refused before any network call. A Clerk that does not answer (within
 * `apiTimeoutMs`) makes a 503 (`ClerkApiUnavailableException`), not a refusal.
 */
@Injectable()
export class ClerkMachineTokenVerifier {
  private readonly logger = new Logger('ClerkAuth');
  private readonly accepted: ReadonlySet<ClerkMachineTokenType>;
  private readonly verified: VerifiedTokenCache<ClerkMachineAuth>;

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    cache: ClerkCacheService,
  ) {
    this.accepted = new Set((options.acceptsToken ?? []).filter(isMachineTokenType));
    // The secret key picks the Clerk instance, so it is part of the fingerprint (hashed, never stored).
    const scope = VerifiedTokenCache.scopeOf(['machine-v1', options.secretKey ?? '', options.jwtKey ?? '', options.apiUrl, options.audience ?? []]);
    this.verified = new VerifiedTokenCache(cache, scope, options.cacheTtlSeconds * 1000);
  }

  /** Whether `acceptsToken` names at least one machine token kind. */
  get acceptsAny(): boolean {
    return this.accepted.size > 0;
  }

  /** Whether `acceptsToken` names `type`. */
  accepts(type: ClerkMachineTokenType): boolean {
    return this.accepted.has(type);
  }

  /**
   * Returns the verified machine auth of `token` (of kind `type`) or throws `ClerkTokenRejectedError`;
   * `ClerkApiUnavailableException` (503) when Clerk did not answer, so the token is neither trusted nor refused.
   */
  async verify(token: string, type: ClerkMachineTokenType): Promise<ClerkMachineAuth> {
    if (!this.accepted.has(type)) throw new ClerkTokenRejectedError('token-type-not-accepted', type);
    if (token.length > MAX_TOKEN_LENGTH) throw new ClerkTokenRejectedError('token-too-large');
    const remembered = this.verified.remembered(token);
    if (remembered) return remembered;
    const cached = await this.verified.shared(token);
    if (cached?.tokenType === type) return cached;

    // Concurrent requests with one token share one Clerk call.
    return this.verified.once(token, async () => {
      const auth = await this.verifyUncached(token, type);
      await this.verified.remember(token, auth);
      return auth;
    });
  }

  private async verifyUncached(token: string, type: ClerkMachineTokenType): Promise<ClerkMachineAuth> {
    let result: Awaited<ReturnType<typeof verifyMachineAuthToken>>;
    try {
      // @clerk/backend takes no timeout here: the wait is bounded instead (a late answer is dropped).
      const verification = verifyMachineAuthToken(token, {
        secretKey: this.options.secretKey,
        apiUrl: this.options.apiUrl,
        jwtKey: this.options.jwtKey,
        audience: this.options.audience,
        clockSkewInMs: this.options.clockSkewSeconds * 1000,
      });
      result = await withDeadline(verification, this.options.apiTimeoutMs);
    } catch (error) {
      if (error instanceof ClerkApiTimeoutError) throw this.unavailable(type, describeClerkApiFailure(error), error);
      throw new ClerkTokenRejectedError('machine-token-verification-failed', (error as Error)?.message);
    }
    if (result.errors) {
      const failure = result.errors[0];
      if (isClerkUnavailable(failure)) throw this.unavailable(type, describeClerkApiFailure(failure), failure);
      const code = errorCode(failure);
      if (SERVER_SIDE_CODES.has(code)) this.logger.warn(`machine token (${type}) could not be verified: ${code}; check secretKey and apiUrl`);
      throw new ClerkTokenRejectedError(code);
    }
    if (result.tokenType !== type) throw new ClerkTokenRejectedError('token-type-mismatch', `${result.tokenType} is not ${type}`);
    return machineAuthFromVerified(type, result.data as VerifiedMachineToken);
  }

  private unavailable(type: ClerkMachineTokenType, failure: string, cause: unknown): ClerkApiUnavailableException {
    this.logger.warn(`machine token (${type}) not verified: Clerk did not answer (${failure}); answering 503`);
    return new ClerkApiUnavailableException(cause);
  }
}
