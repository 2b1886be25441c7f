import {
  ForbiddenException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  UnauthorizedException,
  type OnModuleInit,
} from '@nestjs/common';
import { AUTHENTICATED_REQUESTS } from '../auth/auth.constants.js';
import type { ClerkLocalAuth, ClerkRequestAuth } from '../auth/clerk-auth.interface.js';
import { ClerkAuthenticator } from '../auth/clerk-authenticator.service.js';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import { ClerkTokenVerifier } from '../auth/clerk-token-verifier.service.js';
import { ClerkTokenRejectedError } from '../auth/token-rejected.error.js';
import type { ExtractedToken } from '../auth/token-extractor.js';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { StaffAccountsService } from '../users/staff-accounts.service.js';
import { isUntrustedUnsafeRequest } from './csrf-check.js';
import {
  clearSessionState,
  destroyServerSession,
  digestOf,
  passesSessionMiddleware,
  readSessionState,
  regenerateServerSession,
  serverSessionOf,
  writeSessionState,
} from './server-session-access.js';
import type {
  ClerkServerSessionLayer,
  ClerkServerSessionState,
  LocalServerSessionState,
  ServerSessionLike,
} from './server-session.interface.js';
import { SESSION_MIDDLEWARE_MISSING } from './sessions.constants.js';

type SessionRequest<T extends AbstractClerkUser> = ClerkAuthenticatedRequest<T> & { method?: string };

/**
 * Server sessions (options `sessions` and `localAuth`) for requests without a bearer token:
 * - a verified `__session` cookie token starts a Clerk server session (new session id);
 * - within `sessionRevalidationSeconds` that session stands without a token; a different cookie
 *   token is verified at once (so the org follows the newest token); at revalidation a valid token
 *   of the **same** user is required, otherwise the Clerk part is cleared (signed out);
 * - revoked Clerk sessions (shared list) and inactive users are refused on every request;
 * - a password login of a local account (`startLocalSession`) is re-checked on every request
 *   (active, password unchanged, not older than `localAuth.sessionMaxAgeSeconds`);
 * - cookie- and session-authenticated unsafe requests must come from `authorizedParties` (403).
 * Bearer requests never reach it: they stay stateless.
 */
@Injectable()
export class ClerkServerSessions<T extends AbstractClerkUser = AbstractClerkUser> implements ClerkServerSessionLayer<T>, OnModuleInit {
  private readonly logger = new Logger('ClerkSessions');

  constructor(
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
    private readonly authenticator: ClerkAuthenticator<T>,
    private readonly verifier: ClerkTokenVerifier,
    private readonly staff: StaffAccountsService,
  ) {}

  onModuleInit(): void {
    if (this.options.sessions || this.options.localAuth) this.authenticator.useServerSessions(this);
  }

  hasSession(request: ClerkAuthenticatedRequest<T>): boolean {
    const session = serverSessionOf(request);
    return session !== null && readSessionState(session) !== null;
  }

  async authenticate(request: SessionRequest<T>, cookieToken: ExtractedToken | null): Promise<T | null> {
    if (!passesSessionMiddleware(request)) return cookieToken ? this.statelessToken(request, cookieToken) : null;
    const session = this.requireSession(request);
    const state = readSessionState(session);
    if ((state || cookieToken) && isUntrustedUnsafeRequest(request, this.options.authorizedParties)) {
      this.logger.debug(`cookie-authenticated ${String(request.method)} from an untrusted origin refused (CSRF)`);
      throw new ForbiddenException();
    }
    if (state?.method === 'local') return this.continueLocalSession(request, session, state);
    if (state?.method === 'clerk') {
      if (this.options.sessions) return this.continueClerkSession(request, session, state, cookieToken);
      clearSessionState(session);
    }
    if (!cookieToken) return null;
    return this.options.sessions ? this.startClerkSession(request, cookieToken) : this.statelessToken(request, cookieToken);
  }

  /** After a checked password (`clerk-local`): a new session id holding the local login; sets `request.auth`/`request.user`. */
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
    this.setLocalRequest(request, user, state);
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

  private async continueLocalSession(request: SessionRequest<T>, session: ServerSessionLike, state: LocalServerSessionState): Promise<T> {
    const settings = this.options.localAuth;
    if (!settings) return this.signOut(session, 'a password login while "localAuth" is off');
    if (Date.now() - state.authenticatedAt >= settings.sessionMaxAgeSeconds * 1000) return this.signOut(session, 'password login past localAuth.sessionMaxAgeSeconds');
    const user = (await this.staff.findByIdWithPassword(state.userId)) as T | null;
    if (!user || !StaffAccountsService.canUsePassword(user) || digestOf(user.passwordHash!) !== state.credentialDigest) {
      return this.signOut(session, 'local account gone, inactive, linked to Clerk, or its password changed');
    }
    delete user.passwordHash;
    this.setLocalRequest(request, user, state);
    return user;
  }

  private async continueClerkSession(
    request: SessionRequest<T>,
    session: ServerSessionLike,
    state: ClerkServerSessionState,
    cookieToken: ExtractedToken | null,
  ): Promise<T> {
    const now = Date.now();
    const due = now - state.lastClerkCheck >= this.options.sessionRevalidationSeconds * 1000;
    const digest = cookieToken ? digestOf(cookieToken.token) : null;
    if (due || (digest !== null && digest !== state.tokenDigest)) {
      const fresh = cookieToken ? await this.verifiedOrNull(cookieToken) : null;
      if (fresh && digest) {
        if (fresh.userId !== state.clerkUserId) return this.signOut(session, 'a token of another user');
        const user = await this.signOutOnRefusal(session, this.authenticator.authenticateVerified(request, fresh, 'cookie'));
        writeSessionState(session, clerkState(fresh, digest, now));
        return user;
      }
      // Within the window an unusable new token changes nothing; at revalidation it ends the session.
      if (due) return this.signOut(session, cookieToken ? 'token refused at revalidation' : 'no token at revalidation');
    }
    return this.signOutOnRefusal(session, this.authenticator.authenticateVerified(request, state.auth, 'server session'));
  }

  private async startClerkSession(request: SessionRequest<T>, cookieToken: ExtractedToken): Promise<T> {
    const auth = await this.verifiedOrRefuse(cookieToken);
    const user = await this.authenticator.authenticateVerified(request, auth, 'cookie');
    const session = await regenerateServerSession(request, this.requireSession(request));
    writeSessionState(session, clerkState(auth, digestOf(cookieToken.token), Date.now()));
    return user;
  }

  private async statelessToken(request: SessionRequest<T>, cookieToken: ExtractedToken): Promise<T> {
    return this.authenticator.authenticateVerified(request, await this.verifiedOrRefuse(cookieToken), cookieToken.carrier);
  }

  private async verifiedOrNull(token: ExtractedToken): Promise<ClerkRequestAuth | null> {
    try {
      return await this.verifier.verify(token.token);
    } catch (error) {
      this.logger.debug(`session token from ${token.carrier} not usable: ${reasonOf(error)}`);
      return null;
    }
  }

  private async verifiedOrRefuse(token: ExtractedToken): Promise<ClerkRequestAuth> {
    const auth = await this.verifiedOrNull(token);
    if (!auth) throw new UnauthorizedException();
    return auth;
  }

  private async signOutOnRefusal(session: ServerSessionLike, authenticated: Promise<T>): Promise<T> {
    try {
      return await authenticated;
    } catch (error) {
      if (error instanceof UnauthorizedException) clearSessionState(session);
      throw error;
    }
  }

  private signOut(session: ServerSessionLike, reason: string): never {
    clearSessionState(session);
    this.logger.debug(`server session signed out: ${reason}`);
    throw new UnauthorizedException();
  }

  private setLocalRequest(request: SessionRequest<T>, user: T, state: LocalServerSessionState): void {
    const maxAgeMs = (this.options.localAuth?.sessionMaxAgeSeconds ?? 0) * 1000;
    const auth: ClerkLocalAuth = {
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
    request.auth = auth;
    request.org = null;
    request.user = user;
    AUTHENTICATED_REQUESTS.add(request);
  }
}

function clerkState(auth: ClerkRequestAuth, tokenDigest: string, now: number): ClerkServerSessionState {
  return { method: 'clerk', clerkUserId: auth.userId, sessionId: auth.sessionId, orgId: auth.orgId, lastClerkCheck: now, tokenDigest, auth };
}

function reasonOf(error: unknown): string {
  return error instanceof ClerkTokenRejectedError ? error.reason : ((error as Error)?.message ?? 'unknown');
}
