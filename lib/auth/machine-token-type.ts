import { isMachineToken } from '@clerk/backend/internal';
import type { ClerkAuth, ClerkMachineAuth, ClerkMachineTokenType, ClerkTokenType } from './clerk-auth.interface.js';

/** Every machine token kind, in the order Clerk documents them. */
export const CLERK_MACHINE_TOKEN_TYPES: readonly ClerkMachineTokenType[] = ['m2m_token', 'api_key', 'oauth_token'];

/** Every token kind `acceptsToken` may name. */
export const CLERK_TOKEN_TYPES: readonly ClerkTokenType[] = ['session_token', ...CLERK_MACHINE_TOKEN_TYPES];

// Opaque token prefixes of @clerk/backend 3.x (`mt_`, `oat_`, `ak_`).
const OPAQUE_PREFIXES: ReadonlyArray<[string, ClerkMachineTokenType]> = [
  ['mt_', 'm2m_token'],
  ['oat_', 'oauth_token'],
  ['ak_', 'api_key'],
];

/** Whether the JWT's payload `sub` names a machine (`mch_…`), the test `@clerk/backend` applies before the `typ` one. */
function hasMachineSubject(token: string): boolean {
  try {
    const [, payload] = token.split('.');
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const sub = claims && typeof claims === 'object' ? (claims as Record<string, unknown>).sub : undefined;
    return typeof sub === 'string' && sub.startsWith('mch_');
  } catch {
    return false;
  }
}

/** Whether `value` names a machine token kind (`m2m_token`, `api_key`, `oauth_token`). */
export function isMachineTokenType(value: unknown): value is ClerkMachineTokenType {
  return CLERK_MACHINE_TOKEN_TYPES.includes(value as ClerkMachineTokenType);
}

/** Narrows `request.auth` to a machine caller. */
export function isMachineAuth(auth: ClerkAuth | undefined | null): auth is ClerkMachineAuth {
  return !!auth && isMachineTokenType(auth.tokenType);
}

/**
 * The machine token kind of `token`, or `null` for anything else (session tokens included). Uses
 * `@clerk/backend`'s own recognition: opaque prefixes, M2M JWTs (`sub: mch_…`) and OAuth JWTs
 * (`typ: at+jwt`), in its order. Nothing is verified here.
 */
export function machineTokenTypeOf(token: string): ClerkMachineTokenType | null {
  if (!isMachineToken(token)) return null;
  for (const [prefix, type] of OPAQUE_PREFIXES) if (token.startsWith(prefix)) return type;
  return hasMachineSubject(token) ? 'm2m_token' : 'oauth_token';
}
