import type { AbstractClerkUser } from '../../users/abstract-clerk-user.entity.js';
import { AUTHENTICATED_REQUESTS } from '../auth.constants.js';
import { verificationTrustedUntil } from '../verified-token-cache.js';
import type { ClerkAuthenticator } from '../clerk-authenticator.service.js';
import type { ClerkAuthState, ClerkAuthTarget } from './clerk-auth-target.js';

/** What an authentication leaves on a state (the authenticator's and `OrganizationsModule`'s). */
const STATE_KEYS = ['user', 'auth', 'org', 'organization', 'organizationMembership'] as const;

/**
 * Whether `state` was authenticated before and its token has not expired since. A socket or a
 * graphql-ws connection outlives its token: once the token has expired the state is dropped, so
 * the next call verifies the token again (and is refused).
 */
export function hasLiveAuthentication(state: ClerkAuthState): boolean {
  if (!AUTHENTICATED_REQUESTS.has(state)) return false;
  const expiresAt = state.auth?.expiresAt;
  // A token without expiry (an API key) is verified again once its cached verification is due for renewal
  // (`cacheTtlSeconds`), so a revoked key stops working on an open connection too.
  const deadline = typeof expiresAt === 'number' ? expiresAt : state.auth ? (verificationTrustedUntil(state.auth) ?? Infinity) : Infinity;
  if (deadline > Date.now()) return true;
  for (const key of STATE_KEYS) delete state[key];
  return false;
}

/** Copies a successful authentication of the target's header view onto its state (a socket's `data`, a graphql-ws connection). */
export function adoptAuthentication(target: ClerkAuthTarget): void {
  if (target.source === target.state || !AUTHENTICATED_REQUESTS.has(target.source)) return;
  const { headers: _headers, ...state } = target.source;
  Object.assign(target.state, state);
}

/**
 * Authenticates the target's token (`ClerkAuthenticator.authenticate`: `null` without a token,
 * `ClerkTokenRejectedError` when refused) and keeps the result on the target's state.
 */
export async function authenticateTarget(authenticator: ClerkAuthenticator, target: ClerkAuthTarget): Promise<AbstractClerkUser | null> {
  const user = await authenticator.authenticate(target.source);
  adoptAuthentication(target);
  return user;
}
