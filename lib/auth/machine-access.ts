import { UnauthorizedException } from '@nestjs/common';
import type { ClerkAuth, ClerkMachineTokenType } from './clerk-auth.interface.js';
import { isMachineAuth, isMachineTokenType } from './machine-token-type.js';

/** Machine callers a route accepts: `require` (machines only) or `allow` (machines and users). */
export interface ClerkMachineAccess {
  mode: 'require' | 'allow';
  /** Accepted machine token kinds; `null`: every kind the module's `acceptsToken` names. */
  types: ClerkMachineTokenType[] | null;
}

/** Metadata value of `@RequireMachine()` / `@AllowMachine()`; throws at decoration time on an unknown kind. */
export function machineAccess(mode: ClerkMachineAccess['mode'], types: readonly ClerkMachineTokenType[]): ClerkMachineAccess {
  const unknown = types.find((type) => !isMachineTokenType(type));
  if (unknown !== undefined) throw new TypeError(`${mode === 'require' ? '@RequireMachine' : '@AllowMachine'}(): "${String(unknown)}" is not a machine token type`);
  return Object.freeze({ mode, types: types.length ? Object.freeze([...new Set(types)]) as ClerkMachineTokenType[] : null });
}

/**
 * Token kind check after authentication, whoever authenticated the request: a machine caller only
 * on a route that accepts its kind, a user never on a machine-only route. Both refusals are 401, as
 * Clerk's `acceptsToken` does for a token of another kind: for this route the token is no credential.
 */
export function assertCallerAccepted(auth: ClerkAuth | undefined, access: ClerkMachineAccess | null): void {
  if (isMachineAuth(auth)) {
    if (!access || (access.types && !access.types.includes(auth.tokenType))) throw new UnauthorizedException();
  } else if (access?.mode === 'require') {
    throw new UnauthorizedException();
  }
}
