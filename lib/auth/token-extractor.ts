import { CLERK_SESSION_COOKIE } from '../clerk-users.constants.js';

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

function sessionCookie(cookieHeader: string): string | undefined {
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== CLERK_SESSION_COOKIE) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
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

/** Session token from `Authorization: Bearer …` (wins) or the `__session` cookie. */
export function extractSessionToken(request: RequestWithHeaders): ExtractedToken | null {
  const authorization = header(request, 'authorization');
  if (authorization) {
    const space = authorization.indexOf(' ');
    if (space > 0 && authorization.slice(0, space).toLowerCase() === 'bearer') {
      const token = authorization.slice(space + 1).trim();
      if (token) return { token, carrier: 'header' };
    }
  }
  const cookies = header(request, 'cookie');
  const token = cookies ? sessionCookie(cookies) : undefined;
  return token ? { token, carrier: 'cookie' } : null;
}
