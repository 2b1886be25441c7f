import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ClerkTransport } from './clerk-auth-target.js';
import { exportOf, loadOptionalPeer } from './optional-peer.js';

type GraphQLErrorClass = new (message: string, options: { extensions: Record<string, unknown> }) => Error;
type WsExceptionClass = new (error: string) => Error;

const logger = new Logger('ClerkAuth');

const REFUSALS: Partial<Record<number, { message: string; code: string }>> = {
  [HttpStatus.UNAUTHORIZED]: { message: 'Unauthorized', code: 'UNAUTHENTICATED' },
  [HttpStatus.FORBIDDEN]: { message: 'Forbidden', code: 'FORBIDDEN' },
};

function statusOf(error: unknown): number | undefined {
  return error instanceof HttpException ? error.getStatus() : undefined;
}

/** GraphQL: `UNAUTHENTICATED` / `FORBIDDEN` errors with generic messages; an unexpected failure is logged and answered generically. */
async function graphqlError(error: unknown): Promise<unknown> {
  const refusal = REFUSALS[statusOf(error) ?? 0];
  if (!refusal && (error instanceof HttpException || (error as { extensions?: unknown })?.extensions)) return error;
  const GraphQLError = exportOf<GraphQLErrorClass>(await loadOptionalPeer('graphql'), 'GraphQLError');
  if (!GraphQLError) return error;
  if (refusal) return new GraphQLError(refusal.message, { extensions: { code: refusal.code } });
  logger.error(error instanceof Error ? (error.stack ?? error.message) : 'non-error thrown during authentication');
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** Gateways: a `WsException` with a generic message (Nest's filter emits it as `exception`). */
async function wsError(error: unknown): Promise<unknown> {
  const refusal = REFUSALS[statusOf(error) ?? 0];
  if (!refusal) return error; // Nest's WebSocket filter answers anything else with "Internal server error" and logs it
  const WsException = exportOf<WsExceptionClass>(await loadOptionalPeer('@nestjs/websockets'), 'WsException');
  return WsException ? new WsException(refusal.message) : error;
}

/** A guard's refusal in the form the transport expects; HTTP exceptions are kept for HTTP. */
export function toTransportError(error: unknown, transport: ClerkTransport): Promise<unknown> {
  if (transport === 'graphql') return graphqlError(error);
  if (transport === 'ws') return wsError(error);
  return Promise.resolve(error);
}
