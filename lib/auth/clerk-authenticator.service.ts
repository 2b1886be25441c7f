import { Inject, Injectable, Logger, UnauthorizedException, type OnModuleInit } from '@nestjs/common';
import { isTokenTypeAccepted } from '@clerk/backend/internal';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkUserNotFoundError, ClerkUserResolver } from '../users/clerk-user-resolver.service.js';
import { AUTHENTICATED_REQUESTS } from './auth.constants.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import type { ClerkRequestAuth } from './clerk-auth.interface.js';
import { ClerkTokenVerifier } from './clerk-token-verifier.service.js';
import type { ClerkMachineAuth, ClerkMachineTokenType } from './clerk-auth.interface.js';
import { ClerkMachineTokenVerifier } from './machine-token-verifier.service.js';
import { machineTokenTypeOf } from './clerk-token-kind.js';
import { ClerkSessionRevocations } from './clerk-session-revocations.service.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import { extractSessionToken } from './token-extractor.js';
import { sessionCookieNamesFor, UNSUFFIXED_SESSION_COOKIES, type SessionCookieNames } from './session-cookie-names.js';
import type { ClerkServerSessionLayer } from '../sessions/server-session.interface.js';

/** Runs after a successful authentication (e.g. `OrganizationsModule` resolving `request.organization`). */
export type ClerkRequestEnricher = (request: ClerkAuthenticatedRequest, user: AbstractClerkUser, auth: ClerkRequestAuth) => Promise<void>;

/**
 * request → token → verified auth → local user. Sets `request.auth`, `request.org` and returns
 * the user; `null` when the request carries no token. Every refusal is the same generic 401.
 */
@Injectable()
export class ClerkAuthenticator<T extends AbstractClerkUser = AbstractClerkUser> implements OnModuleInit {
  private readonly logger = new Logger('ClerkAuth');
  private readonly enrichers: ClerkRequestEnricher[] = [];
  private serverSessions: ClerkServerSessionLayer<T> | null = null;
  /** `__session_<suffix>` then `__session` once `onModuleInit` derived the suffix from the publishable key. */
  private sessionCookies: SessionCookieNames = UNSUFFIXED_SESSION_COOKIES;

  constructor(
    private readonly verifier: ClerkTokenVerifier,
    private readonly resolver: ClerkUserResolver<T>,
    private readonly revocations: ClerkSessionRevocations,
    private readonly machines: ClerkMachineTokenVerifier,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {}

  /** Derives the suffixed session cookie name once, at boot (WebCrypto is async), so requests never wait for it. */
  async onModuleInit(): Promise<void> {
    this.sessionCookies = await sessionCookieNamesFor(this.options.publishableKey);
  }

  /** Adds a step that runs after every successful authentication. */
  addEnricher(enricher: ClerkRequestEnricher): void {
    this.enrichers.push(enricher);
  }

  /** Lets server sessions (options `sessions`/`localAuth`) handle requests without a bearer token. */
  useServerSessions(layer: ClerkServerSessionLayer<T>): void {
    this.serverSessions = layer;
  }

  /** Whether the request carries a credential: a token, or a server session holding a login. */
  hasToken(request: ClerkAuthenticatedRequest<T>): boolean {
    return extractSessionToken(request, this.sessionCookies) !== null || (this.serverSessions?.hasSession(request) ?? false);
  }

  async authenticate(request: ClerkAuthenticatedRequest<T>): Promise<T | null> {
    const extracted = extractSessionToken(request, this.sessionCookies);
    if (this.serverSessions && extracted?.carrier !== 'header') return this.serverSessions.authenticate(request, extracted);
    if (!extracted) return null;
    let auth: ClerkRequestAuth;
    try {
      auth = await this.verifier.verify(extracted.token);
    } catch (error) {
      return this.refuse(error, extracted.carrier);
    }
    return this.authenticateVerified(request, auth, extracted.carrier);
  }

  /**
   * The part of `authenticate` after token verification (server sessions call it with the auth they
   * keep): revocation list, local user, active check, request fields, enrichers.
   */
  async authenticateVerified(request: ClerkAuthenticatedRequest<T>, auth: ClerkRequestAuth, carrier: string): Promise<T> {
    let user: T;
    if (await this.revocations.isRevoked(auth.sessionId)) return this.refuse(new ClerkTokenRejectedError('session-revoked'), carrier);
    try {
      user = await this.resolver.resolve(auth);
    } catch (error) {
      if (error instanceof ClerkUserNotFoundError) return this.refuse(error, carrier);
      throw error;
    }
    if (!user.isActive) return this.refuse(new ClerkTokenRejectedError('user-inactive'), carrier);
    request.auth = auth;
    request.org = auth.orgId;
    request.user = user;
    for (const enrich of this.enrichers) await enrich(request, user, auth);
    AUTHENTICATED_REQUESTS.add(request);
    return user;
  }

  /**
   * Authenticates a machine caller (`Authorization: Bearer` only, never the cookie) on a route that
   * accepts machines: `accepted` narrows the kinds (`null`: every kind `acceptsToken` names). Sets
   * `request.auth` (a `ClerkMachineAuth`) and never `request.user`: no local row exists for a machine.
   * Returns `null` when the request carries no machine token; refuses a machine token with a 401.
   */
  async authenticateMachine(request: ClerkAuthenticatedRequest<T>, accepted: readonly ClerkMachineTokenType[] | null): Promise<ClerkMachineAuth | null> {
    if (!this.machines.acceptsAny) return null;
    const extracted = extractSessionToken(request, this.sessionCookies);
    const type = extracted?.carrier === 'header' ? machineTokenTypeOf(extracted.token) : null;
    if (!extracted || !type) return null;
    if (accepted && !isTokenTypeAccepted(type, accepted as ClerkMachineTokenType[])) return this.refuse(new ClerkTokenRejectedError('token-type-not-accepted-here', type), extracted.carrier);
    let auth: ClerkMachineAuth;
    try {
      auth = await this.machines.verify(extracted.token, type);
    } catch (error) {
      return this.refuse(error, extracted.carrier);
    }
    request.auth = auth;
    AUTHENTICATED_REQUESTS.add(request);
    return auth;
  }

  private refuse(error: unknown, carrier: string): never {
    const reason = error instanceof ClerkTokenRejectedError ? error.reason : (error as Error)?.message ?? 'unknown';
    this.logger.debug(`token from ${carrier} refused: ${reason}`);
    throw new UnauthorizedException();
  }
}
