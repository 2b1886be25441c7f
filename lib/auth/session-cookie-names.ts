import { getCookieSuffix, getSuffixedCookieName } from '@clerk/shared/keys';
import { CLERK_SESSION_COOKIE } from '../clerk-users.constants.js';

/** Names of the cookies a session token is read from, the first one present wins. */
export type SessionCookieNames = readonly string[];

/** Without a publishable key only Clerk's plain `__session` cookie is read. */
export const UNSUFFIXED_SESSION_COOKIES: SessionCookieNames = Object.freeze([CLERK_SESSION_COOKIE]);

/**
 * The session cookies of the instance `publishableKey` names: `__session_<suffix>` first, the plain
 * `__session` as the fallback, as @clerk/backend's `authenticateContext` reads them. Clerk's frontend
 * sets the suffixed one so that apps sharing a domain keep apart; the suffix comes from
 * @clerk/shared's `getCookieSuffix` (a SHA-1 of the key through WebCrypto, hence async: compute once).
 */
export async function sessionCookieNamesFor(publishableKey: string | undefined): Promise<SessionCookieNames> {
  if (!publishableKey) return UNSUFFIXED_SESSION_COOKIES;
  const suffix = await getCookieSuffix(publishableKey);
  return Object.freeze([getSuffixedCookieName(CLERK_SESSION_COOKIE, suffix), CLERK_SESSION_COOKIE]);
}
