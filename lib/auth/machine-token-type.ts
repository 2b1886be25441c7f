import type { ClerkAuth, ClerkMachineAuth } from './clerk-auth.interface.js';
import { isMachineTokenType } from '../options/token-types.js';

// Which kind a raw token is gets decided in one place, by @clerk/backend's rules.
export { machineTokenTypeOf } from './clerk-token-kind.js';
export { CLERK_MACHINE_TOKEN_TYPES, CLERK_TOKEN_TYPES, isMachineTokenType } from '../options/token-types.js';

/** Narrows `request.auth` to a machine caller. */
export function isMachineAuth(auth: ClerkAuth | undefined | null): auth is ClerkMachineAuth {
  return !!auth && isMachineTokenType(auth.tokenType);
}
