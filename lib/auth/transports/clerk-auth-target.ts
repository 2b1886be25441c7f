import type { ExecutionContext } from '@nestjs/common';
import type { ClerkAuthenticatedRequest } from '../clerk-request.interface.js';
import { graphqlAuthState, graphqlAuthTarget } from './graphql.transport.js';
import { socketAuthState, socketAuthTarget } from './socket-io.transport.js';
import type { ClerkAuthState, ClerkAuthTarget } from './auth-target.types.js';

export type { ClerkAuthState, ClerkAuthTarget, ClerkTransport } from './auth-target.types.js';

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
