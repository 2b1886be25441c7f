import { verify } from 'node:crypto';
import { TokenVerificationErrorReason as Reason } from '@clerk/backend/errors';
import type { DecodedClerkJwt } from './clerk-jwt-decoder.js';
import { CLERK_JWT_ALGORITHMS, type ClerkVerificationKey } from './clerk-verification-key.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';

/** The checks of `@clerk/backend`'s `VerifyJwtOptions` this library passes. */
export interface ClerkJwtChecks {
  authorizedParties?: string[];
  issuer?: string | string[];
  audience?: string | string[];
  clockSkewInMs: number;
}

/**
 * {@link ClerkJwtChecks} as every token is checked against them: the issuer and audience lists
 * flattened once (`[option].flat().filter(Boolean)` per token, as Clerk writes it, allocated three
 * arrays per fresh token and cost 2.5 µs per cold request in the bench:auth server).
 */
export interface PreparedClerkJwtChecks {
  authorizedParties: readonly string[];
  issuers: readonly string[];
  audiences: readonly string[];
  clockSkewInMs: number;
}

const listOf = (option: string | string[] | undefined): string[] => [option].flat().filter((value): value is string => !!value);

export function prepareClerkJwtChecks(checks: ClerkJwtChecks): PreparedClerkJwtChecks {
  return Object.freeze({
    authorizedParties: Object.freeze([...(checks.authorizedParties ?? [])]),
    issuers: Object.freeze(listOf(checks.issuer)),
    audiences: Object.freeze(listOf(checks.audience)),
    clockSkewInMs: checks.clockSkewInMs,
  });
}

/** `node:crypto` hash name of each algorithm of {@link CLERK_JWT_ALGORITHMS}. */
const NODE_HASH: Readonly<Record<string, string>> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

const refuse = (reason: string, detail?: string): never => {
  throw new ClerkTokenRejectedError(reason, detail);
};

/** ECMAScript's TimeClip bound: a time value beyond ±8.64e15 ms is NaN. */
const MAX_TIME_MS = 8.64e15;

/**
 * A NumericDate as `@clerk/backend` reads it, `new Date(0).setUTCSeconds(value)`, by the arithmetic
 * ECMAScript defines for it (MakeTime, MakeDate, TimeClip) rather than with a `Date` per claim: a
 * non-finite value or one out of range is NaN (so never expired), fractions of a second are dropped
 * toward zero. Equal on every number (test/auth/clerk-session-jwt.spec.ts, property).
 */
export function dateMsOf(seconds: number): number {
  if (!Number.isFinite(seconds)) return NaN;
  const ms = Math.trunc(seconds) * 1000;
  return Math.abs(ms) > MAX_TIME_MS ? NaN : ms + 0;
}

/**
 * `@clerk/backend`'s `verifyJwt` on a token already decoded, with a key already imported: the same
 * checks in the same order with the same refusal reasons (`TokenVerificationErrorReason`), the
 * signature checked with `node:crypto` on the kept `KeyObject`. Clerk's `verifyJwt` takes only a JWK
 * or PEM and imports it through WebCrypto on every call (an import plus an async verify: about 250 µs
 * of CPU per token here, against 25–30 µs for the RSA check itself), and none of its lower-level
 * exports accepts a key object; so the signature is checked here and the claim rules are restated,
 * proven equal to Clerk's by test/auth/clerk-session-jwt.spec.ts, which runs both on the same tokens.
 * Returns the payload; throws `ClerkTokenRejectedError` with Clerk's reason.
 */
export function verifyClerkJwt(jwt: DecodedClerkJwt, key: ClerkVerificationKey, checks: PreparedClerkJwtChecks): Record<string, unknown> {
  const { header, payload, signature, raw } = jwt;
  const { typ, alg } = header as { typ?: unknown; alg?: unknown };
  // assertHeaderType with no headerType option: no typ, or "JWT".
  if (typ !== undefined && typ !== 'JWT') refuse(Reason.TokenInvalid, 'typ');
  if (typeof alg !== 'string' || !CLERK_JWT_ALGORITHMS.has(alg)) refuse(Reason.TokenInvalidAlgorithm);
  const algorithm = alg as string;

  // hasValidSignature: a key WebCrypto will not import for this alg fails the verification, a wrong signature is invalid.
  if (!key.key || !key.algorithms.has(algorithm)) refuse(Reason.TokenVerificationFailed, `key not usable for ${algorithm}`);
  let valid: boolean;
  try {
    // The signing input is the token up to its last dot: base64url text (the decoder's rule), so one byte a character.
    valid = verify(NODE_HASH[algorithm], Buffer.from(raw.text.slice(0, raw.header.length + 1 + raw.payload.length), 'latin1'), key.key!, signature);
  } catch {
    valid = refuse(Reason.TokenVerificationFailed, 'signature check failed');
  }
  if (!valid) refuse(Reason.TokenInvalidSignature);

  const claims = payload as Record<string, unknown>;
  const { azp, sub, aud, iss, iat, exp, nbf } = claims;
  if (typeof sub !== 'string') refuse(Reason.TokenVerificationFailed, 'sub');
  checkAudience(aud, checks.audiences);
  const parties = checks.authorizedParties;
  if (parties.length && (!azp || !parties.includes(azp as string))) refuse(Reason.TokenInvalidAuthorizedParties);
  const { issuers } = checks;
  if (issuers.length && (typeof iss !== 'string' || !issuers.includes(iss))) refuse(Reason.TokenInvalidIssuer);

  const now = Date.now();
  const skew = checks.clockSkewInMs;
  if (typeof exp !== 'number') refuse(Reason.TokenVerificationFailed, 'exp');
  if (dateMsOf(exp as number) <= now - skew) refuse(Reason.TokenExpired);
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') refuse(Reason.TokenVerificationFailed, 'nbf');
    if (dateMsOf(nbf as number) > now + skew) refuse(Reason.TokenNotActiveYet);
  }
  if (iat !== undefined) {
    if (typeof iat !== 'number') refuse(Reason.TokenVerificationFailed, 'iat');
    if (dateMsOf(iat as number) > now + skew) refuse(Reason.TokenIatInTheFuture);
  }
  return claims;
}

/** assertAudienceClaim: checked only when both the option and the claim list something; a string must be listed, a string array must share one. */
function checkAudience(aud: unknown, expected: readonly string[]): void {
  if (!expected.length) return;
  const claimed = [aud].flat().filter((value) => !!value);
  if (!claimed.length) return;
  if (typeof aud === 'string') {
    if (!expected.includes(aud)) refuse(Reason.TokenVerificationFailed, 'aud');
  } else if (Array.isArray(aud) && aud.length > 0 && aud.every((value) => typeof value === 'string')) {
    if (!aud.some((value: string) => expected.includes(value))) refuse(Reason.TokenVerificationFailed, 'aud');
  }
}
