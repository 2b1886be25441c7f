import { createHash } from 'node:crypto';
import { CLERK_SERVER_SESSION_KEY } from './sessions.constants.js';
import type { ServerSessionLike, ServerSessionState, ServerSessionStoreLike } from './server-session.interface.js';

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

const isUnconfirmed = (value: unknown): boolean => {
  const maxAge = (value as { cookieMaxAgeMs?: unknown } | null)?.cookieMaxAgeMs;
  return !!value && typeof value === 'object' && (maxAge === null || (time(maxAge) && maxAge > 0));
};

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
    typeof state.auth === 'object' &&
    (state.unconfirmed === undefined || isUnconfirmed(state.unconfirmed))
  ) {
    return state as unknown as ServerSessionState;
  }
  return null;
}

export function writeSessionState(session: ServerSessionLike, state: ServerSessionState): void {
  session[CLERK_SERVER_SESSION_KEY] = state;
}

/** Ends the module's part of the session; a new Clerk session's short lifetime ends with it (what is left is the app's). */
export function clearSessionState(session: ServerSessionLike): void {
  restoreConfiguredLifetime(session);
  delete session[CLERK_SERVER_SESSION_KEY];
}

/** A new Clerk session lives briefly (`unconfirmed`); once its Clerk part ends, the cookie gets back the lifetime the app configured. */
function restoreConfiguredLifetime(session: ServerSessionLike): void {
  const state = readSessionState(session);
  if (state?.method === 'clerk' && state.unconfirmed) setCookieMaxAge(session, state.unconfirmed.cookieMaxAgeMs);
}

/**
 * Gives the request a new session id (against session fixation), as a login must. What the app kept
 * in the session carries over (Django's `cycle_key`); the module's own state does not.
 */
export async function regenerateServerSession(request: object, session: ServerSessionLike): Promise<ServerSessionLike> {
  const carried = Object.entries(session).filter(([key]) => key !== 'cookie' && key !== CLERK_SERVER_SESSION_KEY);
  const state = readSessionState(session);
  await new Promise<void>((resolve, reject) => session.regenerate((error) => (error ? reject(error) : resolve())));
  const fresh = serverSessionOf(request);
  if (!fresh) throw new Error('the session middleware left no session after regenerate()');
  for (const [key, value] of carried) fresh[key] = value;
  // @fastify/session's regenerate() copies the current cookie: a new Clerk session's short lifetime is not the app's.
  if (state?.method === 'clerk' && state.unconfirmed) setCookieMaxAge(fresh, state.unconfirmed.cookieMaxAgeMs);
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

/** The session's id as the middleware keeps it: `id` (express-session) or `sessionId` (@fastify/session). */
export function serverSessionIdOf(session: ServerSessionLike): string | null {
  const id = session.id ?? session.sessionId;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/** The session store the middleware put on the request (`request.sessionStore` on both platforms), or `null`. */
export function serverSessionStoreOf(request: object): ServerSessionStoreLike | null {
  const store = (request as { sessionStore?: Partial<ServerSessionStoreLike> }).sessionStore;
  return store && typeof store.get === 'function' && typeof store.destroy === 'function' ? (store as ServerSessionStoreLike) : null;
}

/** The session cookie's lifetime as the middleware configured it (`null`: a browser-session cookie). */
export function cookieMaxAgeOf(session: ServerSessionLike): number | null {
  const cookie = session.cookie as { originalMaxAge?: unknown } | undefined;
  const maxAge = cookie?.originalMaxAge;
  return time(maxAge) && maxAge > 0 ? maxAge : null;
}

/**
 * Gives the session (its cookie and, through it, its store entry) this lifetime from now on. Both
 * middlewares reset the expiry from `originalMaxAge` at every request, so that is set too.
 */
export function setCookieMaxAge(session: ServerSessionLike, maxAgeMs: number | null): void {
  const cookie = session.cookie as { originalMaxAge?: number | null; maxAge?: number | null; expires?: Date | null } | undefined;
  if (!cookie || typeof cookie !== 'object') return;
  if (maxAgeMs === null) {
    cookie.expires = null;
  } else {
    cookie.maxAge = maxAgeMs;
  }
  cookie.originalMaxAge = maxAgeMs;
}

/** A stored session by id (`null` when gone or the store fails). */
export function storedSession(store: ServerSessionStoreLike, id: string): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    store.get(id, (error, session) => resolve(error || !session ? null : session));
  });
}

/** Removes a stored session by id. */
export function destroyStoredSession(store: ServerSessionStoreLike, id: string): Promise<void> {
  return new Promise<void>((resolve, reject) => store.destroy(id, (error) => (error ? reject(error) : resolve())));
}
