import { TokenType } from '@clerk/backend/internal';
import type { ClerkAuth, ClerkMachineAuth, ClerkMachineTokenType, ClerkTokenType } from './clerk-auth.interface.js';

// Which kind a raw token is gets decided in one place, by @clerk/backend's rules.
export { machineTokenTypeOf } from './clerk-token-kind.js';

/** Every machine token kind, in the order Clerk documents them (@clerk/backend's `TokenType` values). */
export const CLERK_MACHINE_TOKEN_TYPES: readonly ClerkMachineTokenType[] = [TokenType.M2MToken, TokenType.ApiKey, TokenType.OAuthToken];

/** Every token kind `acceptsToken` may name. */
export const CLERK_TOKEN_TYPES: readonly ClerkTokenType[] = [TokenType.SessionToken, ...CLERK_MACHINE_TOKEN_TYPES];

/** Whether `value` names a machine token kind (`m2m_token`, `api_key`, `oauth_token`). */
export function isMachineTokenType(value: unknown): value is ClerkMachineTokenType {
  return CLERK_MACHINE_TOKEN_TYPES.includes(value as ClerkMachineTokenType);
}

/** Narrows `request.auth` to a machine caller. */
export function isMachineAuth(auth: ClerkAuth | undefined | null): auth is ClerkMachineAuth {
  return !!auth && isMachineTokenType(auth.tokenType);
}
