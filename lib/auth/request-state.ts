import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { AUTHENTICATED_REQUESTS } from './auth.constants.js';
import type { ClerkAuth, ClerkMachineAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import type { ClerkRequestFields } from './request-enricher.js';

/**
 * The one place the request pipeline writes a request: `auth`, `org`, `user` and the enrichers'
 * fields, together, once the whole pipeline accepted the credential. `auth` is the one the
 * decorators check (an enricher's narrowed one, if any) and `org` always follows it: an enricher's
 * field cannot set either apart.
 */
export function writeUserState<T extends AbstractClerkUser>(request: ClerkAuthenticatedRequest<T>, auth: ClerkAuth, user: T, fields: Omit<ClerkRequestFields, 'auth'> | null): void {
  if (fields) Object.assign(request, fields);
  request.auth = auth;
  request.org = auth.orgId;
  request.user = user;
  AUTHENTICATED_REQUESTS.add(request);
}

/** A machine caller: `auth` only (no local row exists for a machine). */
export function writeMachineState(request: ClerkAuthenticatedRequest, auth: ClerkMachineAuth): void {
  request.auth = auth;
  AUTHENTICATED_REQUESTS.add(request);
}
