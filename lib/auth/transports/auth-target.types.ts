import type { AbstractClerkUser } from '../../users/abstract-clerk-user.entity.js';
import type { ClerkAuthenticatedRequest } from '../clerk-request.interface.js';

/** Transports the guard can read. Any other `context.getType()` (e.g. `rpc`) is refused. */
export type ClerkTransport = 'http' | 'graphql' | 'ws';

/**
 * The auth state of one call or one connection (`user`, `auth`, `org`, and with
 * `OrganizationsModule` `organization`): what `@CurrentUser()`, `@CurrentOrg()` and the
 * `@Require…()` checks read.
 */
export type ClerkAuthState<T extends AbstractClerkUser = AbstractClerkUser> = Omit<ClerkAuthenticatedRequest<T>, 'headers'>;

/** Where a transport keeps the auth state of a call, and what its token is read from. */
export interface ClerkAuthTarget {
  transport: ClerkTransport;
  /**
   * The HTTP request; for GraphQL the context's `req` (the HTTP request, or the graphql-ws
   * connection for operations over WebSocket); for socket.io the socket's `data`.
   */
  state: ClerkAuthState;
  /**
   * The token carrier: the request itself, or a header view (`Authorization` only) built from
   * graphql-ws `connectionParams` or the socket.io handshake. When it is not `state`, a
   * successful authentication is copied onto `state`.
   */
  source: ClerkAuthenticatedRequest;
}
