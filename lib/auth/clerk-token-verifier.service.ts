import { Inject, Injectable } from '@nestjs/common';
import { verifyToken } from '@clerk/backend';
import { isTokenTypeAccepted, TokenType } from '@clerk/backend/internal';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import type { ClerkRequestAuth, ClerkSessionClaims } from './clerk-auth.interface.js';
import { clerkTokenKindOf } from './clerk-token-kind.js';
import { authFromClaims } from './org-claims.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';

/** Clerk cookies are capped at 4 KB; anything far larger is not a session token. */
export const MAX_TOKEN_LENGTH = 8192;

function reasonOf(error: unknown): string {
  // @clerk/backend bundles TokenVerificationError per entry point, so duck-type instead of instanceof.
  const reason = (error as { reason?: unknown })?.reason;
  return typeof reason === 'string' ? reason : 'token-verification-failed';
}

/**
 * Verifies Clerk session tokens with `@clerk/backend` (`jwtKey`: no network; else JWKS from
 * `apiUrl`) and caches the result by token hash until the token expires at the latest. Machine
 * tokens are always refused here; `ClerkMachineTokenVerifier` handles them on routes that accept them.
 */
@Injectable()
export class ClerkTokenVerifier {
  private readonly verified: VerifiedTokenCache<ClerkRequestAuth>;
  /** `acceptsToken` without `session_token` (a machine-only API) refuses every session token. */
  private readonly acceptsSessionTokens: boolean;

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    cache: ClerkCacheService,
  ) {
    const scope = VerifiedTokenCache.scopeOf([
      // Bumped when what a verified token decodes to changes (v3: trimmed v2 permission lists).
      'session-v3',
      options.jwtKey ?? '',
      options.apiUrl,
      options.authorizedParties,
      options.issuer ?? [],
      options.audience ?? [],
    ]);
    this.verified = new VerifiedTokenCache(cache, scope, options.cacheTtlSeconds * 1000);
    this.acceptsSessionTokens = isTokenTypeAccepted(TokenType.SessionToken, options.acceptsToken ?? TokenType.SessionToken);
  }

  /** Returns the verified auth or throws `ClerkTokenRejectedError`. */
  async verify(token: string): Promise<ClerkRequestAuth> {
    if (!this.acceptsSessionTokens) throw new ClerkTokenRejectedError('session-token-not-accepted');
    if (token.length > MAX_TOKEN_LENGTH) throw new ClerkTokenRejectedError('token-too-large');
    const remembered = this.verified.remembered(token);
    if (remembered) return remembered;
    const cached = await this.verified.shared(token);
    if (cached) return cached;

    const auth = await this.verifyUncached(token);
    await this.verified.remember(token, auth);
    return auth;
  }

  private async verifyUncached(token: string): Promise<ClerkRequestAuth> {
    // Decided before any key is fetched: machine tokens and non-session JWTs never reach verifyToken.
    const kind = clerkTokenKindOf(token);
    if (kind.tokenType === null) throw new ClerkTokenRejectedError(kind.problem);
    if (kind.tokenType !== TokenType.SessionToken) throw new ClerkTokenRejectedError('machine-token', kind.tokenType);

    let payload: Record<string, unknown>;
    try {
      payload = (await verifyToken(token, {
        jwtKey: this.options.jwtKey,
        secretKey: this.options.jwtKey ? undefined : this.options.secretKey,
        apiUrl: this.options.apiUrl,
        authorizedParties: this.options.authorizedParties.length ? this.options.authorizedParties : undefined,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockSkewInMs: this.options.clockSkewSeconds * 1000,
      })) as Record<string, unknown>;
    } catch (error) {
      throw new ClerkTokenRejectedError(reasonOf(error));
    }

    if (typeof payload.sub !== 'string' || !payload.sub.startsWith('user_')) throw new ClerkTokenRejectedError('not-a-user-token');
    if (typeof payload.sid !== 'string' || !payload.sid) throw new ClerkTokenRejectedError('missing-sid');
    if (typeof payload.exp !== 'number') throw new ClerkTokenRejectedError('missing-exp');
    if (payload.sts === 'pending') throw new ClerkTokenRejectedError('session-pending');
    return authFromClaims(payload as ClerkSessionClaims);
  }
}
