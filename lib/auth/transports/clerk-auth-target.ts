import type { ExecutionContext } from '@nestjs/common';
import type { AbstractClerkUser } from '../../users/abstract-clerk-user.entity.js';
import type { ClerkAuthenticatedRequest } from '../clerk-request.interface.js';
import { graphqlAuthState, graphqlAuthTarget } from './graphql.transport.js';
import { socketAuthState, socketAuthTarget } from './socket-io.transport.js';

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

function httpRequest(context: ExecutionContext): ClerkAuthenticatedRequest | null {
  const request = context.switchToHttp().getRequest<ClerkAuthenticatedRequest | undefined>();
  return request && typeof request.headers === 'object' && request.headers !== null ? request : null;
}

/**
 * The one place that reads a call's transport (`context.getType()`): `null` for a context type
 * or a shape the library does not know, which the guard then refuses.
 */
export function resolveClerkAuthTarget(context: ExecutionContext): ClerkAuthTarget | null {
  switch (context.getType<string>()) {
    case 'http': {
      const request = httpRequest(context);
      return request ? { transport: 'http', state: request, source: request } : null;
    }
    case 'graphql':
      return graphqlAuthTarget(context.getArgs());
    case 'ws':
      return socketAuthTarget(context.getArgs()[0]);
    default:
      return null;
  }
}

/** The auth state of the call (no token work): what the parameter decorators read. */
export function clerkAuthStateOf(context: ExecutionContext): ClerkAuthState | null {
  switch (context.getType<string>()) {
    case 'http':
      return httpRequest(context);
    case 'graphql':
      return graphqlAuthState(context.getArgs());
    case 'ws':
      return socketAuthState(context.getArgs()[0]);
    default:
      return null;
  }
}
