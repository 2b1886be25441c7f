import type { ClerkAuthenticatedRequest } from '../clerk-request.interface.js';
import { asBearerAuthorization, type RequestWithHeaders } from '../token-extractor.js';
import type { ClerkAuthState, ClerkAuthTarget } from './auth-target.types.js';

/**
 * graphql-ws's per-connection context (its `Context` type): what `onConnect` receives, and what
 * Nest's default GraphQL context puts in `req` for operations sent over the WebSocket.
 */
export interface ClerkGraphqlWsConnection {
  readonly connectionInitReceived: boolean;
  /** The client's `connectionParams`: `authorization` (`Bearer …`) or `token`. */
  readonly connectionParams?: Readonly<Record<string, unknown>>;
  /** With graphql-ws's `ws` server: `{ socket, request }`, the upgrade request. */
  readonly extra?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function isGraphqlWsConnection(value: unknown): value is ClerkGraphqlWsConnection {
  return isObject(value) && typeof value.connectionInitReceived === 'boolean';
}

/** `req` of the GraphQL context; a resolver's arguments are `[root, args, context, info]`. */
function graphqlRequest(args: unknown[]): Record<string, unknown> | null {
  const graphqlContext = args[2];
  return isObject(graphqlContext) && isObject(graphqlContext.req) ? graphqlContext.req : null;
}

function upgradeAuthorization(extra: unknown): string | undefined {
  const request = isObject(extra) ? extra.request : undefined;
  const headers = isObject(request) ? request.headers : undefined;
  const value = isObject(headers) ? headers.authorization : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The token of a graphql-ws connection as an `Authorization` header view: `connectionParams`
 * `authorization` / `Authorization` / `token`, else the upgrade request's `Authorization` header.
 * Cookies are never read here: a browser sends them on a cross-site WebSocket too.
 */
export function graphqlWsHeaders(connection: ClerkGraphqlWsConnection): RequestWithHeaders {
  const params = connection.connectionParams ?? {};
  const fromParams = [params.authorization, params.Authorization, params.token].find((value) => typeof value === 'string');
  return { headers: { authorization: asBearerAuthorization(fromParams) ?? upgradeAuthorization(connection.extra) } };
}

export function graphqlAuthState(args: unknown[]): ClerkAuthState | null {
  return graphqlRequest(args) as ClerkAuthState | null;
}

export function graphqlAuthTarget(args: unknown[]): ClerkAuthTarget | null {
  const request = graphqlRequest(args);
  if (!request) return null;
  if (isGraphqlWsConnection(request)) return { transport: 'graphql', state: request as ClerkAuthState, source: graphqlWsHeaders(request) };
  if (!isObject(request.headers)) return null;
  const httpRequest = request as unknown as ClerkAuthenticatedRequest;
  return { transport: 'graphql', state: httpRequest, source: httpRequest };
}
