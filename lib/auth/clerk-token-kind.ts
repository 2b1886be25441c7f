import { isMachineTokenByPrefix, TokenType } from '@clerk/backend/internal';
import type { ClerkMachineTokenType, ClerkTokenType } from './clerk-auth.interface.js';
import { decodeClerkJwt, type ClerkJwtHeaderMemo, type DecodedClerkJwt } from './clerk-jwt-decoder.js';

/*
 * The one place that tells a session token from a machine token, with @clerk/backend's prefix
 * detector (`isMachineTokenByPrefix`) and its decoding rules (`decodeClerkJwt`). Its JWT detectors
 * (`isMachineToken` = `isOAuthJwt` || `isM2MJwt`) decode the token once each, and the verifier then
 * decoded it twice more (about 20 µs each, the largest cost of a fresh token after the RSA check), so
 * their rules are applied here to one decoding. @clerk/backend 3.x does not export
 * `getMachineTokenType` nor its constants, so the facts below name what those detectors recognise;
 * test/auth/clerk-token-kind.spec.ts checks the classifier against the pinned SDK's detectors.
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

/** What a credential is before any verification: a kind `acceptsToken` names, or why it is none. */
export type ClerkTokenKind =
  | { tokenType: ClerkTokenType; problem?: never }
  | { tokenType: null; problem: 'token-invalid' | 'not-a-session-token' };

/** `JwtFormatRegExp` of @clerk/backend `src/tokens/machine.ts`: only a token of this shape can be a machine JWT (`isJwtFormat`). */
const JWT_FORMAT = /^[a-zA-Z0-9\-_]+\.[a-zA-Z0-9\-_]+\.[a-zA-Z0-9\-_]+$/;

/** `OAUTH_ACCESS_TOKEN_TYPES` of the same file: the `typ` headers of an OAuth access token (`isOAuthJwt`). */
const OAUTH_ACCESS_TOKEN_TYPES: ReadonlySet<unknown> = new Set(['at+jwt', 'application/at+jwt']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A token and what one decoding of it says: the classification reads it once, and verification reuses it. */
export interface ClassifiedClerkToken {
  kind: ClerkTokenKind;
  /** The decoded JWT (JSON object header and payload), `null` for an opaque or undecodable token. */
  jwt: DecodedClerkJwt | null;
}

/**
 * {@link JWT_FORMAT} of a token that decoded, without scanning it again: its segments are all of
 * base64url's alphabet plus trailing `=` already (the decoder's rule), so it has the format when none
 * is empty and none has padding.
 */
const hasJwtFormat = ({ raw }: DecodedClerkJwt): boolean => raw.header !== '' && raw.payload !== '' && raw.signature !== '' && !raw.text.includes('=');

/**
 * The machine token kind of a token that is not an opaque one, from its one decoding: what
 * `isOAuthJwt` and `isM2MJwt` (each of which decodes the token again) would say; M2M first, as
 * `getMachineTokenType` tests it.
 */
function machineJwtTypeOf(decoded: DecodedClerkJwt | null): ClerkMachineTokenType | null {
  if (!decoded || !hasJwtFormat(decoded)) return null;
  const header = decoded.header as unknown;
  const sub = (decoded.payload as { sub?: unknown } | null)?.sub;
  const m2m = typeof sub === 'string' && sub.startsWith(M2M_SUBJECT_PREFIX);
  const oauth = isObject(header) && OAUTH_ACCESS_TOKEN_TYPES.has(header.typ);
  if (!m2m && !oauth) return null;
  return m2m && isObject(header) && isObject(decoded.payload) ? TokenType.M2MToken : TokenType.OAuthToken;
}

/**
 * The machine token kind of `token`, or `null` for anything else (session tokens included). Nothing
 * is verified. An opaque token costs a prefix test; a JWT is decoded once.
 */
export function machineTokenTypeOf(token: string): ClerkMachineTokenType | null {
  if (isMachineTokenByPrefix(token)) return OPAQUE_MACHINE_TOKEN_PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? null;
  return JWT_FORMAT.test(token) ? machineJwtTypeOf(decodeClerkJwt(token)) : null;
}

/**
 * The kind of `token` by @clerk/backend's rules (`authenticateRequest` with a token in the header),
 * decoding it once: a machine token (opaque prefix, M2M or OAuth JWT), a session token (a JWT of a
 * session category), or neither (not a JWT; a JWT template or another non-session category).
 * `headers`: see {@link decodeClerkJwt}.
 */
export function classifyClerkToken(token: string, headers?: ClerkJwtHeaderMemo): ClassifiedClerkToken {
  if (isMachineTokenByPrefix(token)) return { kind: { tokenType: machineTokenTypeOf(token)! }, jwt: null };
  const decoded = decodeClerkJwt(token, headers);
  const machine = machineJwtTypeOf(decoded);
  if (machine) return { kind: { tokenType: machine }, jwt: null };
  if (!decoded || !isObject(decoded.header) || !isObject(decoded.payload)) return { kind: { tokenType: null, problem: 'token-invalid' }, jwt: null };
  if (!SESSION_JWT_CATEGORIES.has(decoded.header.cat as string | undefined)) return { kind: { tokenType: null, problem: 'not-a-session-token' }, jwt: null };
  return { kind: { tokenType: TokenType.SessionToken }, jwt: decoded };
}

/** {@link classifyClerkToken} without the decoded JWT. */
export function clerkTokenKindOf(token: string): ClerkTokenKind {
  return classifyClerkToken(token).kind;
}
