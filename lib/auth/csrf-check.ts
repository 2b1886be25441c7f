import type { RequestWithHeaders } from './token-extractor.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function header(request: RequestWithHeaders, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function originOfUrl(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The request's `Origin`, else the origin of its `Referer`; `null` when neither names a real origin. */
export function requestOrigin(request: RequestWithHeaders): string | null {
  const origin = header(request, 'origin');
  if (origin !== undefined) return originOfUrl(origin.trim());
  const referer = header(request, 'referer');
  return referer ? originOfUrl(referer.trim()) : null;
}

/** Anything but GET, HEAD and OPTIONS (an unknown or missing method counts as unsafe). */
export function isUnsafeMethod(method: unknown): boolean {
  return typeof method !== 'string' || !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * CSRF check of a cookie- or session-authenticated request: an unsafe method must come from one of
 * `trustedOrigins` (`authorizedParties`), named by `Origin` or, when a browser leaves that out,
 * `Referer`. A request naming neither is refused. There is no double-submit token.
 */
export function isUntrustedUnsafeRequest(request: RequestWithHeaders & { method?: unknown }, trustedOrigins: readonly string[]): boolean {
  if (!isUnsafeMethod(request.method)) return false;
  const origin = requestOrigin(request);
  return origin === null || !trustedOrigins.includes(origin);
}
