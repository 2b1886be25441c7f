import type { ClerkMachineAuth, ClerkMachineTokenType } from './clerk-auth.interface.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';

/** The fields `@clerk/backend`'s `M2MToken`, `APIKey` and `IdPOAuthAccessToken` resources share or add. */
export interface VerifiedMachineToken {
  id: string;
  subject: string;
  scopes?: string[] | null;
  claims?: Record<string, unknown> | null;
  revoked: boolean;
  expired: boolean;
  /** Epoch milliseconds, `null` for a token that never expires. */
  expiration: number | null;
  name?: string;
  clientId?: string;
}

const prefixed = (value: string, prefix: string): string | null => (value.startsWith(prefix) ? value : null);

/**
 * Builds `request.auth` of a machine caller from what `@clerk/backend` verified. A token reported
 * as revoked or expired, or past its expiry, is refused even if the Backend API answered 200.
 */
export function machineAuthFromVerified(
  tokenType: ClerkMachineTokenType,
  token: VerifiedMachineToken,
  now: number = Date.now(),
): ClerkMachineAuth {
  if (token.revoked) throw new ClerkTokenRejectedError('machine-token-revoked');
  if (token.expired || (typeof token.expiration === 'number' && token.expiration <= now)) {
    throw new ClerkTokenRejectedError('machine-token-expired');
  }
  if (typeof token.id !== 'string' || typeof token.subject !== 'string' || !token.subject) {
    throw new ClerkTokenRejectedError('machine-token-invalid', 'missing id or subject');
  }
  const { subject } = token;
  return Object.freeze({
    tokenType,
    method: 'clerk' as const,
    id: token.id,
    subject,
    name: tokenType === 'api_key' ? (token.name ?? null) : null,
    scopes: Object.freeze([...(token.scopes ?? [])]) as string[],
    claims: token.claims && typeof token.claims === 'object' ? Object.freeze({ ...token.claims }) : null,
    machineId: tokenType === 'm2m_token' ? subject : null,
    userId: tokenType === 'm2m_token' ? null : prefixed(subject, 'user_'),
    orgId: tokenType === 'api_key' ? prefixed(subject, 'org_') : null,
    clientId: tokenType === 'oauth_token' ? (token.clientId || null) : null,
    expiresAt: typeof token.expiration === 'number' ? token.expiration : null,
  });
}
