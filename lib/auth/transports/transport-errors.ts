import { HttpException, HttpStatus, IntrinsicException, Logger } from '@nestjs/common';
import type { ClerkTransport } from './clerk-auth-target.js';
import { exportOf, loadOptionalPeer } from './optional-peer.js';
import { ClerkReverificationRequiredException } from '../authorization/reverification.js';

type WsExceptionClass = new (error: string | object) => Error;

const logger = new Logger('ClerkAuth');

const REFUSALS: Partial<Record<number, { message: string; code: string }>> = {
  [HttpStatus.UNAUTHORIZED]: { message: 'Unauthorized', code: 'UNAUTHENTICATED' },
  [HttpStatus.FORBIDDEN]: { message: 'Forbidden', code: 'FORBIDDEN' },
};

function statusOf(error: unknown): number | undefined {
  return error instanceof HttpException ? error.getStatus() : undefined;
}

/**
 * A refusal for a GraphQL resolver. graphql-js wraps whatever a resolver throws in a `GraphQLError`,
 * taking the message and the `extensions` of the original, so clients get exactly
 * `{ message, extensions: { code } }` from any driver. It is an `IntrinsicException` rather than a
 * `GraphQLError` because Nest's external exception handler (resolvers, like gateways, go through it)
 * logs every `Error` that is not intrinsic with its stack: a refused client is not a server error.
 * (An `HttpException` would be quiet too, but Apollo's `autoTransformHttpErrors` would then add the
 * HTTP body as `extensions.originalError`.)
 */
export class ClerkGraphqlRefusal extends IntrinsicException {
  readonly extensions: { code: string } & Record<string, unknown>;

  /** `payload`: what the error carries besides its code (a reverification's `clerk_error`). */
  constructor(message: string, code: string, payload?: Record<string, unknown>) {
    super(message);
    this.name = 'ClerkGraphqlRefusal';
    this.extensions = { code, ...payload };
  }
}

/** GraphQL: `UNAUTHENTICATED` / `FORBIDDEN` errors with generic messages; an unexpected failure is logged (once) and answered generically. */
function graphqlError(error: unknown): unknown {
  if (error instanceof ClerkReverificationRequiredException) return new ClerkGraphqlRefusal('Forbidden', 'FORBIDDEN', error.payload);
  const refusal = REFUSALS[statusOf(error) ?? 0];
  if (refusal) return new ClerkGraphqlRefusal(refusal.message, refusal.code);
  if (error instanceof HttpException || (error as { extensions?: unknown })?.extensions) return error;
  logger.error(error instanceof Error ? (error.stack ?? error.message) : 'non-error thrown during authentication');
  return new ClerkGraphqlRefusal('Internal server error', 'INTERNAL_SERVER_ERROR');
}

/**
 * Gateways: a `WsException` with a generic message (Nest's filter emits it as `exception`); a
 * reverification's as `{ status: 'error', message: 'Forbidden', extensions: { code: 'FORBIDDEN', clerk_error } }`,
 * the shape GraphQL clients get.
 */
async function wsError(error: unknown): Promise<unknown> {
  const refusal = REFUSALS[statusOf(error) ?? 0];
  if (!refusal) return error; // Nest's WebSocket filter answers anything else with "Internal server error" and logs it
  const WsException = exportOf<WsExceptionClass>(await loadOptionalPeer('@nestjs/websockets'), 'WsException');
  if (!WsException) return error;
  if (error instanceof ClerkReverificationRequiredException) {
    return new WsException({ status: 'error', message: refusal.message, extensions: { code: refusal.code, ...error.payload } });
  }
  return new WsException(refusal.message);
}

/** A guard's refusal in the form the transport expects; HTTP exceptions are kept for HTTP. */
export function toTransportError(error: unknown, transport: ClerkTransport): Promise<unknown> {
  if (transport === 'graphql') return Promise.resolve(graphqlError(error));
  if (transport === 'ws') return wsError(error);
  return Promise.resolve(error);
}
