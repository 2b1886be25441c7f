import { createHash } from 'node:crypto';
import { CLERK_SERVER_SESSION_KEY } from './sessions.constants.js';
import type { ServerSessionLike, ServerSessionState } from './server-session.interface.js';

const isServerSession = (value: unknown): value is ServerSessionLike =>
  !!value &&
  typeof value === 'object' &&
  typeof (value as ServerSessionLike).regenerate === 'function' &&
  typeof (value as ServerSessionLike).destroy === 'function';

/**
 * Whether the request went through the HTTP middleware chain, where the session middleware runs:
 * an HTTP request with a method, not a WebSocket upgrade nor a header view a transport built
 * (graphql-ws, socket.io), which authenticate by token only.
 */
export function passesSessionMiddleware(request: { headers: Record<string, string | string[] | undefined>; method?: unknown }): boolean {
  if (typeof request.method !== 'string') return false;
  const upgrade = request.headers.upgrade;
  return (Array.isArray(upgrade) ? upgrade[0] : upgrade)?.toLowerCase() !== 'websocket';
}

/** The request's express-session / @fastify/session session, or `null` when no session middleware ran. */
export function serverSessionOf(request: object): ServerSessionLike | null {
  const session = (request as { session?: unknown }).session;
  return isServerSession(session) ? session : null;
}

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const time = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The module's state in `session`, or `null` when there is none (or it has a shape this version does not write). */
export function readSessionState(session: ServerSessionLike): ServerSessionState | null {
  const state = session[CLERK_SERVER_SESSION_KEY] as Partial<Record<string, unknown>> | undefined;
  if (!state || typeof state !== 'object') return null;
  if (state.method === 'local' && text(state.userId) && time(state.authenticatedAt) && text(state.credentialDigest)) {
    return state as unknown as ServerSessionState;
  }
  if (
    state.method === 'clerk' &&
    text(state.clerkUserId) &&
    text(state.sessionId) &&
    time(state.lastClerkCheck) &&
    text(state.tokenDigest) &&
    !!state.auth &&
    typeof state.auth === 'object'
  ) {
    return state as unknown as ServerSessionState;
  }
  return null;
}

export function writeSessionState(session: ServerSessionLike, state: ServerSessionState): void {
  session[CLERK_SERVER_SESSION_KEY] = state;
}

export function clearSessionState(session: ServerSessionLike): void {
  delete session[CLERK_SERVER_SESSION_KEY];
}

/**
 * Gives the request a new session id (against session fixation), as a login must. What the app kept
 * in the session carries over (Django's `cycle_key`); the module's own state does not.
 */
export async function regenerateServerSession(request: object, session: ServerSessionLike): Promise<ServerSessionLike> {
  const carried = Object.entries(session).filter(([key]) => key !== 'cookie' && key !== CLERK_SERVER_SESSION_KEY);
  await new Promise<void>((resolve, reject) => session.regenerate((error) => (error ? reject(error) : resolve())));
  const fresh = serverSessionOf(request);
  if (!fresh) throw new Error('the session middleware left no session after regenerate()');
  for (const [key, value] of carried) fresh[key] = value;
  return fresh;
}

/** Ends the whole server session (store entry included). */
export function destroyServerSession(session: ServerSessionLike): Promise<void> {
  return new Promise<void>((resolve, reject) => session.destroy((error) => (error ? reject(error) : resolve())));
}

/** A short, non-reversible fingerprint (a token or a password hash is never stored in the session). */
export function digestOf(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}
