import { asBearerAuthorization, type RequestWithHeaders } from '../token-extractor.js';
import type { ClerkAuthState, ClerkAuthTarget } from './auth-target.types.js';

/** The parts of a socket.io server `Socket` the library uses (no dependency on socket.io's types). */
export interface ClerkSocket {
  readonly handshake: {
    readonly headers: Record<string, string | string[] | undefined>;
    /** The client's `io(url, { auth: { token } })`. */
    readonly auth?: Record<string, unknown>;
  };
  /** Per-connection data; the auth state (`user`, `auth`, `org`) is kept here. */
  data: unknown;
  disconnect(close?: boolean): unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function isSocketIoClient(value: unknown): value is ClerkSocket {
  return isObject(value) && isObject(value.handshake) && isObject(value.handshake.headers);
}

/**
 * The token of a socket.io handshake as an `Authorization` header view: `auth.token` (bare or
 * `Bearer …`), else the handshake's `Authorization` header. Cookies are never read here: a browser
 * sends them on a cross-site WebSocket too.
 */
export function handshakeHeaders(handshake: ClerkSocket['handshake']): RequestWithHeaders {
  const header = handshake.headers.authorization;
  const authorization = asBearerAuthorization(handshake.auth?.token) ?? (Array.isArray(header) ? header[0] : header);
  return { headers: { authorization } };
}

export function socketAuthState(client: unknown): ClerkAuthState | null {
  return isSocketIoClient(client) && isObject(client.data) ? (client.data as ClerkAuthState) : null;
}

export function socketAuthTarget(client: unknown): ClerkAuthTarget | null {
  if (!isSocketIoClient(client) || !isObject(client.data)) return null;
  return { transport: 'ws', state: client.data as ClerkAuthState, source: handshakeHeaders(client.handshake) };
}
