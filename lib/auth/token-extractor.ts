import { UNSUFFIXED_SESSION_COOKIES, type SessionCookieNames } from './session-cookie-names.js';

/** Anything with Node-style request headers (Express, Fastify, raw `IncomingMessage`). */
export interface RequestWithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

export interface ExtractedToken {
  token: string;
  carrier: 'header' | 'cookie';
}

function header(request: RequestWithHeaders, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookieValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The value of the first of `names` the `Cookie` header carries non-empty (in `names` order, not header order). */
function sessionCookie(cookieHeader: string, names: SessionCookieNames): string | undefined {
  let best: string | undefined;
  let bestRank = names.length;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const rank = names.indexOf(part.slice(0, eq).trim());
    if (rank < 0 || rank >= bestRank) continue;
    const value = cookieValue(part.slice(eq + 1).trim());
    if (!value) continue;
    if (rank === 0) return value;
    best = value;
    bestRank = rank;
  }
  return best;
}

/**
 * An `Authorization` header value for a token a client passed outside HTTP headers (socket.io
 * `auth.token`, graphql-ws `connectionParams`): a bare token gets the `Bearer` scheme, a
 * `Bearer …` value is kept. Anything but a non-empty string gives `undefined`.
 */
export function asBearerAuthorization(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return /^bearer\s/i.test(trimmed) ? trimmed : `Bearer ${trimmed}`;
}

/** The token of `Authorization: Bearer …`, or `null`: the default stateless credential. */
export function bearerTokenOf(request: RequestWithHeaders): string | null {
  const authorization = header(request, 'authorization');
  if (!authorization) return null;
  const space = authorization.indexOf(' ');
  if (space <= 0 || authorization.slice(0, space).toLowerCase() !== 'bearer') return null;
  return authorization.slice(space + 1).trim() || null;
}

/** The first non-empty session cookie of `sessionCookies` (see `sessionCookieNamesFor`), or `null`. */
export function sessionCookieTokenOf(request: RequestWithHeaders, sessionCookies: SessionCookieNames = UNSUFFIXED_SESSION_COOKIES): string | null {
  const cookies = header(request, 'cookie');
  return (cookies ? sessionCookie(cookies, sessionCookies) : undefined) ?? null;
}

/**
 * Session token from `Authorization: Bearer …` (wins) or else the first session cookie of
 * `sessionCookies` (default: the plain `__session`; see `sessionCookieNamesFor` for `__session_<suffix>`).
 */
export function extractSessionToken(request: RequestWithHeaders, sessionCookies: SessionCookieNames = UNSUFFIXED_SESSION_COOKIES): ExtractedToken | null {
  const bearer = bearerTokenOf(request);
  if (bearer) return { token: bearer, carrier: 'header' };
  const cookie = sessionCookieTokenOf(request, sessionCookies);
  return cookie ? { token: cookie, carrier: 'cookie' } : null;
}
