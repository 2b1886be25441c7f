import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkAuth } from './clerk-auth.interface.js';
import type { RequestWithHeaders } from './token-extractor.js';

/** What the module adds to a request. */
export interface ClerkAuthenticatedRequest<T extends AbstractClerkUser = AbstractClerkUser> extends RequestWithHeaders {
  user?: T;
  /** The verified token: a session (`tokenType: 'session_token'`) or, on machine routes, a `ClerkMachineAuth`. */
  auth?: ClerkAuth;
  /** Active organization id from the token (as the seed's `request.org`). */
  org?: string | null;
  /** With `OrganizationsModule`: the local organization of the active org, when the user is a recorded member. */
  organization?: unknown;
  /** With `OrganizationsModule`: the user's local membership in `organization`. */
  organizationMembership?: unknown;
}
