import { decodeJwt } from '@clerk/backend/jwt';
import { isMachineToken, isMachineTokenByPrefix, TokenType } from '@clerk/backend/internal';
import type { ClerkMachineTokenType, ClerkTokenType } from './clerk-auth.interface.js';

/*
 * The one place that tells a session token from a machine token, with @clerk/backend's own
 * decoder (`decodeJwt`) and detectors (`isMachineToken`, `isMachineTokenByPrefix`). @clerk/backend
 * 3.x does not export `getMachineTokenType` nor its constants, so the three facts below name
 * what those detectors already recognised; test/auth/clerk-token-kind.spec.ts checks them against
 * the pinned SDK.
 */

/** Opaque machine-token prefixes by kind: `M2M_TOKEN_PREFIX`, `OAUTH_TOKEN_PREFIX`, `API_KEY_PREFIX` of @clerk/backend `src/tokens/machine.ts`. */
export const OPAQUE_MACHINE_TOKEN_PREFIXES: ReadonlyArray<readonly [prefix: string, type: ClerkMachineTokenType]> = [
  ['mt_', TokenType.M2MToken],
  ['oat_', TokenType.OAuthToken],
  ['ak_', TokenType.ApiKey],
];

/** `sub` prefix that makes a JWT an M2M token (`M2M_SUBJECT_PREFIX`, same file; `getMachineTokenType` tests it before OAuth's `typ`). */
const M2M_SUBJECT_PREFIX = 'mch_';

/**
 * JWT categories (`cat` header) @clerk/backend verifies as session tokens: `src/tokens/jwtCategories.ts`
 * (`isNonSessionJwtCategory`): the session category, the "ignore" one, and none at all (tokens minted
 * before categories). Anything else (a JWT template `cl_B7d4PD222AAA`, an M2M token `cl_B7d4PD333AAA`) is not a session.
 */
const SESSION_JWT_CATEGORIES: ReadonlySet<string | undefined> = new Set([undefined, 'cl_B7d4PD111AAA', 'cl_I7d4PD111III']);

/** A JWT as @clerk/backend's `decodeJwt` reads it. */
type DecodedClerkJwt = ReturnType<typeof decodeJwt>;

/** What a credential is before any verification: a kind `acceptsToken` names, or why it is none. */
export type ClerkTokenKind =
  | { tokenType: ClerkTokenType; problem?: never }
  | { tokenType: null; problem: 'token-invalid' | 'not-a-session-token' };

/** @clerk/backend's `decodeJwt`, `null` for anything that is not a JWT with JSON object header and payload. */
function decodeClerkJwt(token: string): DecodedClerkJwt | null {
  let jwt: DecodedClerkJwt;
  try {
    jwt = decodeJwt(token);
  } catch {
    return null;
  }
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  return isObject(jwt.header) && isObject(jwt.payload) ? jwt : null;
}

/**
 * The machine token kind of `token`, or `null` for anything else (session tokens included). Nothing
 * is verified. An opaque token costs a prefix test; a JWT is decoded as `isMachineToken` does.
 */
export function machineTokenTypeOf(token: string): ClerkMachineTokenType | null {
  if (!isMachineToken(token)) return null;
  if (isMachineTokenByPrefix(token)) return OPAQUE_MACHINE_TOKEN_PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? null;
  const sub = decodeClerkJwt(token)?.payload.sub;
  return typeof sub === 'string' && sub.startsWith(M2M_SUBJECT_PREFIX) ? TokenType.M2MToken : TokenType.OAuthToken;
}

/**
 * The kind of `token` by @clerk/backend's rules (`authenticateRequest` with a token in the header):
 * a machine token (opaque prefix, M2M or OAuth JWT), a session token (a JWT of a session category),
 * or neither (not a JWT; a JWT template or another non-session category).
 */
export function clerkTokenKindOf(token: string): ClerkTokenKind {
  const machine = machineTokenTypeOf(token);
  if (machine) return { tokenType: machine };
  const jwt = decodeClerkJwt(token);
  if (!jwt) return { tokenType: null, problem: 'token-invalid' };
  if (!SESSION_JWT_CATEGORIES.has(jwt.header.cat)) return { tokenType: null, problem: 'not-a-session-token' };
  return { tokenType: TokenType.SessionToken };
}
