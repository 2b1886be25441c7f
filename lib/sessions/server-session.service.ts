import { Inject, Injectable, InternalServerErrorException, Logger, UnauthorizedException } from '@nestjs/common';
import { ClerkCrossSiteRequestError } from '../auth/cross-site-request.error.js';
import type { ClerkLocalAuth, ClerkRequestAuth } from '../auth/clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import { ClerkTokenVerifier } from '../auth/clerk-token-verifier.service.js';
import type { ClerkCredential, ClerkCredentialInput, ClerkCredentialSource } from '../auth/credentials/clerk-credential.js';
import { verifiedSessionToken } from '../auth/credentials/session-token-credential.js';
import { ClerkTokenRejectedError } from '../auth/token-rejected.error.js';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { StaffAccountsService } from '../users/staff-accounts.service.js';
import { isUntrustedUnsafeRequest } from '../auth/csrf-check.js';
import { OneServerSessionPerClerkSession } from './one-server-session-per-clerk-session.js';
import {
  clearSessionState,
  cookieMaxAgeOf,
  destroyServerSession,
  digestOf,
  passesSessionMiddleware,
  readSessionState,
  regenerateServerSession,
  serverSessionOf,
  setCookieMaxAge,
  writeSessionState,
} from './server-session-access.js';
import type { ClerkServerSessionState, LocalServerSessionState, ServerSessionLike } from './server-session.interface.js';
import { SESSION_MIDDLEWARE_MISSING } from './sessions.constants.js';

type SessionRequest<T extends AbstractClerkUser> = ClerkAuthenticatedRequest<T> & { method?: string };

/** Shortest first lifetime of a new Clerk server session, whatever `sessionRevalidationSeconds` is. */
const MIN_FIRST_LIFETIME_MS = 60_000;
/** How long the link of a confirmed session to its Clerk session is kept when the cookie has no lifetime of its own (Clerk's default session lifetime). */
const BROWSER_SESSION_LINK_MS = 7 * 24 * 3600_000;

/**
 * Server sessions (options `sessions` and `localAuth`): a credential source of the request pipeline,
 * asked after the bearer token and before the stateless cookie.
 * - a verified `__session` cookie token starts a Clerk server session (new session id, once the
 *   pipeline accepted it): one per Clerk session id (starting another removes the previous one), and
 *   short-lived (twice `sessionRevalidationSeconds`, at least a minute, at most the cookie's own
 *   lifetime) until a token of it is verified again, which gives it the cookie's configured lifetime;
 * - within `sessionRevalidationSeconds` that session stands without a token; a different cookie
 *   token is verified at once (so the org follows the newest token); at revalidation a valid token
 *   of the **same** user is required, otherwise the Clerk part is cleared (signed out);
 * - a password login of a local account (`startLocalSession`) is re-checked on every request
 *   (active, password unchanged, not older than `localAuth.sessionMaxAgeSeconds`);
 * - cookie- and session-authenticated unsafe requests must come from `authorizedParties` (403).
 * Without session middleware, or with nothing to hold, it answers `null` and the cookie source reads
 * the cookie statelessly. Revocation and the active check are the pipeline's, as for every source.
 */
@Injectable()
export class ClerkServerSessions<T extends AbstractClerkUser = AbstractClerkUser> implements ClerkCredentialSource<T> {
  readonly carrier = 'server session';
  private readonly logger = new Logger('ClerkSessions');
  private readonly perClerkSession: OneServerSessionPerClerkSession;

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly verifier: ClerkTokenVerifier,
    private readonly staff: StaffAccountsService,
    cache: ClerkCacheService,
  ) {
    this.perClerkSession = new OneServerSessionPerClerkSession(cache);
  }

  present(request: ClerkAuthenticatedRequest<T>): boolean {
    const session = serverSessionOf(request);
    return session !== null && readSessionState(session) !== null;
  }

  async read(request: SessionRequest<T>, input: ClerkCredentialInput): Promise<ClerkCredential<T> | null> {
    if (!passesSessionMiddleware(request)) return null;
    const session = this.requireSession(request);
    const state = readSessionState(session);
    if ((state || input.cookie) && isUntrustedUnsafeRequest(request, this.options.authorizedParties)) {
      this.logger.debug(`cookie-authenticated ${String(request.method)} from an untrusted origin refused (CSRF)`);
      throw new ClerkCrossSiteRequestError();
    }
    if (state?.method === 'local') return this.continueLocalSession(session, state);
    if (state?.method === 'clerk') {
      if (this.options.sessions) return this.continueClerkSession(session, state, input.cookie);
      clearSessionState(session);
    }
    if (!input.cookie || !this.options.sessions) return null;
    return this.startClerkSession(request, session, input.cookie);
  }

  /** After a checked password (`clerk-local`): a new session id holding the local login. The next request reads it. */
  async startLocalSession(request: SessionRequest<T>, user: T): Promise<void> {
    const current = this.requireSession(request);
    const account = await this.staff.findByIdWithPassword(user.id);
    if (!account || !StaffAccountsService.canUsePassword(account)) throw new UnauthorizedException();
    const session = await regenerateServerSession(request, current);
    const state: LocalServerSessionState = {
      method: 'local',
      userId: user.id,
      authenticatedAt: Date.now(),
      credentialDigest: digestOf(account.passwordHash!),
    };
    writeSessionState(session, state);
    await this.staff.recordLogin(user.id);
  }

  /** Ends the request's server session (either kind); a request without one is left alone. */
  async endSession(request: SessionRequest<T>): Promise<void> {
    const session = this.requireSession(request);
    await destroyServerSession(session);
  }

  /** The session, or a 500 naming what to install when no session middleware ran. */
  requireSession(request: object): ServerSessionLike {
    const session = serverSessionOf(request);
    if (session) return session;
    this.logger.error(SESSION_MIDDLEWARE_MISSING);
    throw new InternalServerErrorException();
  }

  private async continueLocalSession(session: ServerSessionLike, state: LocalServerSessionState): Promise<ClerkCredential<T>> {
    const settings = this.options.localAuth;
    if (!settings) return this.signOut(session, 'a password login while "localAuth" is off');
    if (Date.now() - state.authenticatedAt >= settings.sessionMaxAgeSeconds * 1000) return this.signOut(session, 'password login past localAuth.sessionMaxAgeSeconds');
    const user = (await this.staff.findByIdWithPassword(state.userId)) as T | null;
    if (!user || !StaffAccountsService.canUsePassword(user) || digestOf(user.passwordHash!) !== state.credentialDigest) {
      return this.signOut(session, 'local account gone, inactive, linked to Clerk, or its password changed');
    }
    delete user.passwordHash;
    return { auth: this.localAuth(user, state), user, carrier: this.carrier, settlement: { refused: () => clearSessionState(session) } };
  }

  private async continueClerkSession(session: ServerSessionLike, state: ClerkServerSessionState, cookie: string | null): Promise<ClerkCredential<T>> {
    const now = Date.now();
    const due = now - state.lastClerkCheck >= this.options.sessionRevalidationSeconds * 1000;
    const digest = cookie ? digestOf(cookie) : null;
    const signOutOnRefusal = { refused: () => clearSessionState(session) };
    if (due || (digest !== null && digest !== state.tokenDigest)) {
      const fresh = cookie ? await this.verifiedOrNull(cookie) : null;
      if (fresh && digest) {
        if (fresh.userId !== state.clerkUserId) return this.signOut(session, 'a token of another user');
        return { auth: fresh, carrier: 'cookie', settlement: { ...signOutOnRefusal, accepted: () => this.renew(session, state, fresh, digest, now) } };
      }
      // Within the window an unusable new token changes nothing; at revalidation it ends the session.
      if (due) return this.signOut(session, cookie ? 'token refused at revalidation' : 'no token at revalidation');
    }
    return { auth: state.auth, carrier: this.carrier, settlement: signOutOnRefusal };
  }

  private async startClerkSession(request: SessionRequest<T>, current: ServerSessionLike, cookie: string): Promise<ClerkCredential<T>> {
    const auth = await verifiedSessionToken(this.verifier, cookie);
    const accepted = async (): Promise<void> => {
      const session = await regenerateServerSession(request, current);
      // Short-lived until a token of it is verified again: a replayed token alone keeps nothing stored for long.
      const configured = cookieMaxAgeOf(session);
      const firstLifetime = this.firstLifetimeMs(configured);
      setCookieMaxAge(session, firstLifetime);
      writeSessionState(session, { ...clerkState(auth, digestOf(cookie), Date.now()), unconfirmed: { cookieMaxAgeMs: configured } });
      await this.perClerkSession.claim(request, session, auth.sessionId, firstLifetime);
    };
    return { auth, carrier: 'cookie', settlement: { accepted } };
  }

  /** A token of the session verified again: the newest claims, and (the first time) the cookie's configured lifetime. */
  private async renew(session: ServerSessionLike, state: ClerkServerSessionState, fresh: ClerkRequestAuth, digest: string, now: number): Promise<void> {
    writeSessionState(session, clerkState(fresh, digest, now));
    if (!state.unconfirmed) return;
    const lifetime = state.unconfirmed.cookieMaxAgeMs;
    setCookieMaxAge(session, lifetime);
    await this.perClerkSession.extend(session, fresh.sessionId, lifetime ?? BROWSER_SESSION_LINK_MS);
  }

  /** Twice the revalidation window (at least a minute), never longer than the cookie's configured lifetime. */
  private firstLifetimeMs(configured: number | null): number {
    const window = Math.max(2 * this.options.sessionRevalidationSeconds * 1000, MIN_FIRST_LIFETIME_MS);
    return configured === null ? window : Math.min(window, configured);
  }

  private async verifiedOrNull(token: string): Promise<ClerkRequestAuth | null> {
    try {
      return await verifiedSessionToken(this.verifier, token);
    } catch (error) {
      this.logger.debug(`session token from cookie not usable: ${(error as ClerkTokenRejectedError).reason}`);
      return null;
    }
  }

  private signOut(session: ServerSessionLike, reason: string): never {
    clearSessionState(session);
    this.logger.debug(`server session signed out: ${reason}`);
    throw new ClerkTokenRejectedError('server-session-ended');
  }

  private localAuth(user: T, state: LocalServerSessionState): ClerkLocalAuth {
    const maxAgeMs = (this.options.localAuth?.sessionMaxAgeSeconds ?? 0) * 1000;
    return {
      method: 'local',
      tokenType: null,
      userId: null,
      localUserId: user.id,
      sessionId: null,
      sessionStatus: null,
      actor: null,
      orgId: null,
      orgRole: null,
      orgSlug: null,
      orgPermissions: [],
      factorVerificationAge: null,
      claims: null,
      authenticatedAt: state.authenticatedAt,
      expiresAt: state.authenticatedAt + maxAgeMs,
    };
  }
}

function clerkState(auth: ClerkRequestAuth, tokenDigest: string, now: number): ClerkServerSessionState {
  return { method: 'clerk', clerkUserId: auth.userId, sessionId: auth.sessionId, orgId: auth.orgId, lastClerkCheck: now, tokenDigest, auth };
}
