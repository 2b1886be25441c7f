import { Inject, Injectable, Logger } from '@nestjs/common';
import { isTokenTypeAccepted, TokenType } from '@clerk/backend/internal';
import { CLERK_CLIENT, CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ClerkClient } from '../clerk-client/clerk-client.provider.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import type { ClerkRequestAuth, ClerkSessionClaims } from './clerk-auth.interface.js';
import { classifyClerkToken } from './clerk-token-kind.js';
import { ClerkJwtHeaderMemo, type DecodedClerkJwt } from './clerk-jwt-decoder.js';
import { prepareClerkJwtChecks, verifyClerkJwt, type PreparedClerkJwtChecks } from './clerk-session-jwt.js';
import { importClerkPem, type ClerkVerificationKey } from './clerk-verification-key.js';
import { recordTokenVerified, type ClerkTokenCarrier } from '../metrics/clerk-metrics.js';
import { authFromClaims } from './org-claims.js';
import { VerifiedTokenCache } from './verified-token-cache.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import { ClerkApiTimeoutError, withDeadline } from '../clerk-client/clerk-api-deadline.js';
import { ClerkApiUnavailableException, describeClerkApiFailure } from '../clerk-client/clerk-api-unavailable.exception.js';
import { ClerkJwksEmptyError, ClerkJwksKeySet } from './clerk-jwks-key-set.js';

/** Clerk cookies are capped at 4 KB; anything far larger is not a session token. */
export const MAX_TOKEN_LENGTH = 8192;

/** `reason` of @clerk/backend's TokenVerificationError (bundled per entry point, so duck-typed, not `instanceof`). */
function reasonOf(error: unknown): string | undefined {
  const reason = (error as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The `name` of an error, compared rather than `instanceof`: `fetch` may throw another realm's `TypeError`. */
const errorName = (error: unknown): unknown => (error as { name?: unknown } | null)?.name;

/** `fetch`'s failure without any HTTP answer (refused, reset, DNS, TLS): undici's `TypeError: fetch failed`. */
const isNetworkFailure = (error: unknown): error is TypeError => errorName(error) === 'TypeError' && (error as Error).message === 'fetch failed';

/**
 * Why a verification failed when it was because Clerk did not serve the JWKS, which says nothing
 * about the token; `undefined` otherwise. No answer within `apiTimeoutMs`, no answer at all, or
 * Clerk's own `jwk-remote-failed-to-load` (a 5xx or an empty JWKS, after its retries).
 */
function jwksFailureOf(error: unknown): string | undefined {
  if (error instanceof ClerkApiTimeoutError) return describeClerkApiFailure(error);
  if (isNetworkFailure(error)) return `unreachable: ${String((error.cause as { code?: unknown } | undefined)?.code ?? error.message)}`;
  // An error page instead of JSON (a proxy's 502) fails in the SDK's response.json().
  if (errorName(error) === 'SyntaxError') return 'unreadable answer';
  if (error instanceof ClerkJwksEmptyError) return 'no signing keys';
  // The Backend API client's ClerkAPIResponseError: an HTTP error, or no answer (`unexpected_error`, no status).
  if ((error as { clerkError?: unknown } | null)?.clerkError === true) return describeClerkApiFailure(error);
  const reason = reasonOf(error);
  return reason === 'jwk-remote-failed-to-load' ? reason : undefined;
}

/**
 * Whether the token expired already (`exp`, with the clock skew), decided before its key is fetched:
 * such a token is refused even while Clerk does not serve the JWKS. Its signature needs no checking,
 * since the answer is a refusal either way.
 */
function expiredBeforeVerification(payload: { exp?: unknown }, clockSkewMs: number): boolean {
  const { exp } = payload;
  return typeof exp === 'number' && exp * 1000 <= Date.now() - clockSkewMs;
}

/** Clerk's answer to a JWKS fetch with a secret key it does not know: every token would fail, so a 401. */
const isInvalidSecretKey = (error: unknown): boolean =>
  ((error as { errors?: unknown } | null)?.errors as Array<{ code?: unknown }> | undefined)?.some?.((e) => e?.code === 'clerk_key_invalid') === true;

/**
 * Verifies Clerk session tokens by `@clerk/backend`'s rules with keys imported once (`jwtKey`: no
 * network; else the JWKS from `apiUrl` through {@link ClerkJwksKeySet}, bounded by `apiTimeoutMs`; see
 * {@link verifyClerkJwt}) and remembers the result in process until the token expires at the latest.
 * A session token is not written to the shared cache: checking it locally (one decode, one RSA
 * check: about 50 µs of CPU) costs less than the hash, serialisation and round trip of a shared-cache
 * read and write, and another instance could only be spared the same 50 µs. Machine tokens are
 * always refused here; `ClerkMachineTokenVerifier` handles them (and shares them) on routes that accept them.
 */
@Injectable()
export class ClerkTokenVerifier {
  private readonly logger = new Logger('ClerkAuth');
  private readonly verified: VerifiedTokenCache<ClerkRequestAuth>;
  /** `acceptsToken` without `session_token` (a machine-only API) refuses every session token. */
  private readonly acceptsSessionTokens: boolean;
  /**
   * The JWKS without `jwtKey`, held here rather than in `verifyToken`'s cache, which fetches again (with
   * 5 retries) for every unknown `kid`: forged tokens would spend the app's Backend API quota.
   */
  private readonly jwks: ClerkJwksKeySet;
  /** `jwtKey`, imported once at boot. */
  private readonly localKey: ClerkVerificationKey | null;
  /** What every token is checked against, built once. */
  private readonly checks: PreparedClerkJwtChecks;
  /** Headers of tokens that verified, so the next token with the same header skips decoding it. */
  private readonly headers = new ClerkJwtHeaderMemo();

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    cache: ClerkCacheService,
    @Inject(CLERK_CLIENT) clerk: ClerkClient,
  ) {
    const scope = VerifiedTokenCache.scopeOf([
      // Bumped when what a verified token decodes to changes (v3: trimmed v2 permission lists).
      'session-v3',
      // The instance a token verifies against: with secretKey only, the JWKS comes from that key's instance.
      options.secretKey ?? '',
      options.jwtKey ?? '',
      options.apiUrl,
      options.authorizedParties,
      options.issuer ?? [],
      options.audience ?? [],
    ]);
    this.verified = new VerifiedTokenCache(cache, scope, options.cacheTtlSeconds * 1000);
    this.jwks = new ClerkJwksKeySet(
      () => clerk.jwks.getJwks(),
      (message) => this.logger.warn(message),
    );
    this.localKey = options.jwtKey ? importClerkPem(options.jwtKey) : null;
    this.checks = prepareClerkJwtChecks({
      authorizedParties: options.authorizedParties,
      issuer: options.issuer,
      audience: options.audience,
      clockSkewInMs: options.clockSkewSeconds * 1000,
    });
    this.acceptsSessionTokens = isTokenTypeAccepted(TokenType.SessionToken, options.acceptsToken ?? TokenType.SessionToken);
  }

  /**
   * Returns the verified auth or throws `ClerkTokenRejectedError`; `ClerkApiUnavailableException`
   * (503) when the JWKS it needs could not be had from Clerk, so the token is neither trusted nor refused.
   */
  async verify(token: string, carrier: ClerkTokenCarrier = 'header'): Promise<ClerkRequestAuth> {
    if (!this.acceptsSessionTokens) throw new ClerkTokenRejectedError('session-token-not-accepted');
    if (token.length > MAX_TOKEN_LENGTH) throw new ClerkTokenRejectedError('token-too-large');
    const remembered = this.verified.remembered(token);
    if (remembered) {
      recordTokenVerified('warm', carrier);
      return remembered;
    }
    // With the key at hand the check is synchronous and costs less than a flight to share.
    const jwt = this.sessionJwtOf(token);
    const keptKey = this.localKey ?? this.jwks.knownKey(jwt.header.kid);
    if (keptKey) {
      const checked = this.authOf(this.checkedPayload(jwt, keptKey));
      this.verified.rememberLocally(token, checked);
      recordTokenVerified('cold', carrier);
      return checked;
    }
    // Otherwise concurrent requests with one token share one verification (and so one JWKS fetch).
    const auth = await this.verified.once(token, async () => {
      const verified = await this.verifyFetchingKey(jwt);
      this.verified.rememberLocally(token, verified);
      return verified;
    });
    recordTokenVerified('cold', carrier);
    return auth;
  }

  /**
   * The token decoded once, if it is a session JWT that has not expired; decided before any key is
   * fetched: machine tokens and non-session JWTs are never verified here.
   */
  private sessionJwtOf(token: string): DecodedClerkJwt {
    const { kind, jwt } = classifyClerkToken(token, this.headers);
    if (kind.tokenType === null) throw new ClerkTokenRejectedError(kind.problem);
    if (kind.tokenType !== TokenType.SessionToken || !jwt) throw new ClerkTokenRejectedError('machine-token', kind.tokenType);
    if (expiredBeforeVerification(jwt.payload, this.checks.clockSkewInMs)) throw new ClerkTokenRejectedError('token-expired');
    return jwt;
  }

  /** Clerk's checks with `key` (synchronous; throws `ClerkTokenRejectedError`); a header that passed them is remembered. */
  private checkedPayload(jwt: DecodedClerkJwt, key: ClerkVerificationKey): Record<string, unknown> {
    const payload = verifyClerkJwt(jwt, key, this.checks);
    this.headers.remember(jwt);
    return payload;
  }

  /** The verification when the JWKS is still to be fetched (or the kid is unknown), bounded by `apiTimeoutMs`. */
  private async verifyFetchingKey(jwt: DecodedClerkJwt): Promise<ClerkRequestAuth> {
    let payload: Record<string, unknown>;
    try {
      const key = this.localKey ?? this.jwks.knownKey(jwt.header.kid) ?? (await withDeadline(this.jwks.keyFor(jwt.header.kid), this.options.apiTimeoutMs));
      payload = this.checkedPayload(jwt, key);
    } catch (error) {
      if (error instanceof ClerkTokenRejectedError) throw error;
      if (!this.options.jwtKey && isInvalidSecretKey(error)) throw new ClerkTokenRejectedError('secret-key-invalid');
      const unavailable = this.options.jwtKey ? undefined : jwksFailureOf(error);
      if (unavailable) {
        this.logger.warn(`session token not verified: no JWKS from Clerk (${unavailable}); answering 503`);
        throw new ClerkApiUnavailableException(error);
      }
      throw new ClerkTokenRejectedError(reasonOf(error) ?? 'token-verification-failed');
    }
    return this.authOf(payload);
  }

  /** The library's own rules on a verified payload: a user's session with an expiry; then the auth it carries. */
  private authOf(payload: Record<string, unknown>): ClerkRequestAuth {
    if (typeof payload.sub !== 'string' || !payload.sub.startsWith('user_')) throw new ClerkTokenRejectedError('not-a-user-token');
    if (typeof payload.sid !== 'string' || !payload.sid) throw new ClerkTokenRejectedError('missing-sid');
    if (typeof payload.exp !== 'number') throw new ClerkTokenRejectedError('missing-exp');
    // `sts: pending` is verified like any session; the guard's route policy decides (`@AllowPendingSession()`).
    return authFromClaims(payload as ClerkSessionClaims);
  }
}
