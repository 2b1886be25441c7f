import type { AbstractClerkUser } from '../../users/abstract-clerk-user.entity.js';
import type { ClerkAuth } from '../clerk-auth.interface.js';
import type { ClerkCredential, ClerkCredentialSource } from '../credentials/clerk-credential.js';
import { ClerkTokenRejectedError } from '../token-rejected.error.js';

/**
 * Calls whose route is `@AllowPendingSession()`, marked by the guard before it authenticates them.
 * Any other caller of the pipeline (every other route, `AuthGuard('clerk')`, `ClerkWsAuth` on connect)
 * treats a pending session as signed out, as Clerk's `treatPendingAsSignedOut` (default `true`) does.
 */
const admitted = new WeakSet<object>();

/** Lets a pending session through the credential sources for this call (its route allows them). */
export function admitPendingSessions(request: object): void {
  admitted.add(request);
}

/** Whether `auth` is a session with a task left (`sts: pending`). */
export const isPendingSession = (auth: ClerkAuth | null | undefined): boolean => auth?.tokenType === 'session_token' && auth.sessionStatus === 'pending';

function admittedCredential<T extends AbstractClerkUser>(request: object, credential: ClerkCredential<T> | null): ClerkCredential<T> | null {
  if (credential && isPendingSession(credential.auth) && !admitted.has(request)) throw new ClerkTokenRejectedError('session-pending');
  return credential;
}

/**
 * `source` refusing (401, `session-pending`) a pending session on a call not admitted: decided as
 * soon as the credential is verified, so such a session never reaches the revocation list, the user
 * table or Clerk's Backend API, exactly as when the verifier refused it.
 */
export function refusingPendingSessions<T extends AbstractClerkUser>(source: ClerkCredentialSource<T>): ClerkCredentialSource<T> {
  return {
    carrier: source.carrier,
    present: (request, input) => source.present(request, input),
    read: (request, input) => source.read(request, input).then((credential) => admittedCredential(request, credential)),
  };
}
