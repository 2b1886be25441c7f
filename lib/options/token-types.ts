import { TokenType } from '@clerk/backend/internal';

/** Machine token kinds Clerk issues, as `@clerk/backend` names them. */
export type ClerkMachineTokenType = 'm2m_token' | 'api_key' | 'oauth_token';

/** Every token kind the module can accept (option `acceptsToken`). */
export type ClerkTokenType = 'session_token' | ClerkMachineTokenType;

/** Every machine token kind, in the order Clerk documents them (@clerk/backend's `TokenType` values). */
export const CLERK_MACHINE_TOKEN_TYPES: readonly ClerkMachineTokenType[] = [TokenType.M2MToken, TokenType.ApiKey, TokenType.OAuthToken];

/** Every token kind `acceptsToken` may name. */
export const CLERK_TOKEN_TYPES: readonly ClerkTokenType[] = [TokenType.SessionToken, ...CLERK_MACHINE_TOKEN_TYPES];

/** Whether `value` names a machine token kind (`m2m_token`, `api_key`, `oauth_token`). */
export function isMachineTokenType(value: unknown): value is ClerkMachineTokenType {
  return CLERK_MACHINE_TOKEN_TYPES.includes(value as ClerkMachineTokenType);
}
