import { ClerkUsersConfigurationError } from './configuration.error.js';

/** What happens to an impersonated session (Clerk's `act` claim) on a route that says nothing: let in, or 403. */
export type ClerkImpersonationPolicy = 'allow' | 'deny';

/** The `impersonation` option: `'allow'` (default, as Clerk) or `'deny'`. */
export function resolveImpersonation(value: unknown): ClerkImpersonationPolicy {
  if (value === undefined) return 'allow';
  if (value === 'allow' || value === 'deny') return value;
  throw new ClerkUsersConfigurationError('impersonation', 'must be "allow" or "deny"');
}
