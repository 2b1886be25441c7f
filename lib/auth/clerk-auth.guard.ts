import { ForbiddenException, Inject, Injectable, Logger, Optional, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkAuthenticator } from './clerk-authenticator.service.js';
import { assertAuthorized, isImpersonated } from './clerk-authorization.js';
import { admitPendingSessions, isPendingSession } from './authorization/pending-sessions.js';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import type { ClerkAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import { guardedAlready, markGuarded } from './guarded-calls.js';
import { isOptionalAuth, RoutePolicyCache, type RoutePolicy } from './route-policy.js';
import { clerkAuthStateOf, resolveClerkAuthTarget, type ClerkAuthState, type ClerkAuthTarget } from './transports/clerk-auth-target.js';
import { adoptAuthentication, hasLiveAuthentication } from './transports/authenticate-target.js';
import { toTransportError } from './transports/transport-errors.js';
import { assertCallerAccepted, type ClerkMachineAccess } from './machine-access.js';
import { isMachineAuth } from './machine-token-type.js';
import type { ClerkPipelineHooks } from './pipeline-hooks.js';
import { bearerTokenOf } from './token-extractor.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import { ClerkCrossSiteRequestError } from './cross-site-request.error.js';
import { recordRefusal } from '../metrics/clerk-metrics.js';

const logger = new Logger('ClerkAuth');

/**
 * Authenticates the call through the request pipeline (`ClerkAuthenticator`, which the `clerk`
 * Passport strategy uses too, called directly to keep Passport's per-request machinery off the hot
 * path), honours `@Public()` (optional auth) and the `@Require…()` decorators (403 when
 * authenticated but not allowed, through Clerk's `has()`), signs pending sessions out unless the route
 * is `@AllowPendingSession()`, and refuses impersonated sessions where impersonation is denied. Works for REST (Express, Fastify), GraphQL resolvers (HTTP and
 * graphql-ws) and socket.io gateways. Fails closed: an unknown execution context or an internal
 * error never lets a request through.
 *
 * Extend it and override the protected hooks `extractCredential`, `isUserActive` and `refuse`
 * (every 401 goes through it), or `getPolicy`/`getAuthTarget`; install the subclass with the
 * module's `globalGuard` extra. Whichever Clerk guard runs first for a call decides it: the guard
 * the `@Require…()` decorators attach defers to it.
 */
@Injectable()
export class ClerkAuthGuard implements CanActivate {
  private readonly policies: RoutePolicyCache;
  /** The hooks as the pipeline calls them, bound once. */
  private readonly hooks: ClerkPipelineHooks;
  /**
   * The module's options (for the `impersonation` default), injected as a property so that subclasses
   * keep their two-argument constructor; absent for a guard built by hand (`'allow'`).
   */
  @Optional()
  @Inject(CLERK_RESOLVED_OPTIONS)
  private readonly moduleOptions?: Pick<ResolvedClerkUsersOptions, 'impersonation'>;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: ClerkAuthenticator,
  ) {
    this.policies = new RoutePolicyCache(reflector);
    this.hooks = { extractCredential: (request) => this.extractCredential(request), isUserActive: (user, auth) => this.isUserActive(user, auth) };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (guardedAlready(context)) return true;
    const target = this.getAuthTarget(context);
    try {
      await this.activate(context, target);
    } catch (error) {
      const refusal = error instanceof ClerkTokenRejectedError ? error : error instanceof UnauthorizedException ? new ClerkTokenRejectedError('unauthenticated') : null;
      const thrown = refusal ? this.refusalOf(refusal, context) : error;
      // GraphQL gets UNAUTHENTICATED/FORBIDDEN errors, gateways a WsException (generic messages).
      if (!target || target.transport === 'http') throw thrown;
      throw await toTransportError(thrown, target.transport);
    }
    markGuarded(context);
    return true;
  }

  /**
   * The stateless credential of a request (a token string), or `null`: default `Authorization: Bearer`.
   * Override to read another header; the result is verified exactly as a bearer token.
   */
  protected extractCredential(request: ClerkAuthenticatedRequest): string | null {
    return bearerTokenOf(request);
  }

  /** Whether a resolved user may pass; `false` is a 401 (`user-inactive`). Default `user.isActive`. */
  protected isUserActive(user: AbstractClerkUser, _auth: ClerkAuth): boolean {
    return user.isActive;
  }

  /**
   * Every 401 of the guard, with why (`reason`: e.g. `token-expired`, `user-inactive`,
   * `unauthenticated`; never the token). Must throw; the default logs the reason at debug level and
   * throws `UnauthorizedException` (GraphQL and WebSockets translate it).
   */
  protected refuse(reason: string, _context: ExecutionContext, carrier?: string | null): never {
    logger.debug(`token from ${carrier ?? 'request'} refused: ${reason}`);
    throw new UnauthorizedException();
  }

  /** Authentication and authorization of one call; throws, `canActivate` routes 401s through `refuse`. */
  protected async activate(context: ExecutionContext, target: ClerkAuthTarget | null): Promise<void> {
    const policy = this.getPolicy(context);
    const { requirements, machines } = policy;
    const optional = isOptionalAuth(policy);
    if (!target) {
      if (optional) return;
      throw new ClerkTokenRejectedError('unsupported-execution-context');
    }
    // `source` carries the token; a socket or a graphql-ws connection keeps the result on `state`.
    const request = target.source;
    if (policy.allowPendingSession) admitPendingSessions(request);
    if (!hasLiveAuthentication(target.state)) {
      if (optional) {
        await this.authenticateOptionally(request, machines);
        adoptAuthentication(target);
        return this.assertImpersonationAllowed(target.state.auth, policy.impersonation);
      }
      let user: AbstractClerkUser | null = null;
      let failure: unknown;
      try {
        user = await this.authenticateCaller(request, machines);
      } catch (error) {
        failure = error;
      }
      adoptAuthentication(target);
      this.handleRequest(failure, user, context);
    }
    const { auth } = target.state;
    // Optional routes follow their own @DenyImpersonation() only, not the module's default.
    if (optional) return this.assertImpersonationAllowed(auth, policy.impersonation);
    assertCallerAccepted(auth, machines);
    // A connection may keep a pending session authenticated by an earlier @AllowPendingSession() call.
    if (!policy.allowPendingSession && isPendingSession(auth)) throw new ClerkTokenRejectedError('session-pending');
    this.assertImpersonationAllowed(auth, policy.impersonation ?? this.moduleOptions?.impersonation ?? 'allow');
    if (requirements) assertAuthorized(target.state, requirements);
  }

  /** 403 for an impersonated session (Clerk's `act` claim) where impersonation is denied. */
  private assertImpersonationAllowed(auth: ClerkAuth | undefined, impersonation: 'allow' | 'deny' | null): void {
    if (impersonation === 'deny' && isImpersonated(auth)) throw new ForbiddenException('Impersonation not allowed');
  }

  /**
   * Where the call keeps its auth state and carries its token, for `http`, `graphql` and `ws`
   * (socket.io); `null` for any other context (refused unless `@Public()` without requirements).
   */
  getAuthTarget(context: ExecutionContext): ClerkAuthTarget | null {
    return resolveClerkAuthTarget(context);
  }

  /** The call's auth state: the HTTP request, the GraphQL context's `req`, a socket's `data`; `null` for another context. */
  getRequest(context: ExecutionContext): ClerkAuthState | null {
    return clerkAuthStateOf(context);
  }

  /** `@Public()` and `@Require…()` of the route (handler metadata overrides class metadata). */
  protected getPolicy(context: ExecutionContext): RoutePolicy {
    return this.policies.get(context);
  }

  /**
   * Like `AuthGuard.handleRequest`: throw to refuse. `user` is `null` for a machine caller (its
   * `request.auth` is a `ClerkMachineAuth`); the default refuses a missing user or machine.
   */
  handleRequest(error: unknown, user: AbstractClerkUser | null, context: ExecutionContext): void {
    if (error) throw error;
    if (!user && !isMachineAuth(this.getRequest(context)?.auth)) throw new ClerkTokenRejectedError('no-credential');
  }

  /**
   * The user of the request, or `null` for a machine caller on a route that accepts machines
   * (`@RequireMachine()`/`@AllowMachine()`); a machine-only route refuses users.
   */
  protected async authenticateCaller(request: ClerkAuthenticatedRequest, machines: ClerkMachineAccess | null): Promise<AbstractClerkUser | null> {
    if (machines) {
      if (await this.authenticator.authenticateMachine(request, machines.types, this.hooks)) return null;
      if (machines.mode === 'require') throw new ClerkTokenRejectedError('machine-token-required');
    }
    return this.authenticator.authenticate(request, this.hooks);
  }

  /**
   * On a public route a valid credential still sets the user (or machine, with `@AllowMachine()`); a
   * missing or bad one is ignored, and so is a cookie or session of a cross-site unsafe request.
   */
  protected async authenticateOptionally(request: ClerkAuthenticatedRequest, machines: ClerkMachineAccess | null = null): Promise<void> {
    if (!this.authenticator.hasToken(request, this.hooks)) return;
    try {
      if (machines && (await this.authenticator.authenticateMachine(request, machines.types, this.hooks))) return;
      await this.authenticator.authenticate(request, this.hooks);
    } catch (error) {
      if (!(error instanceof ClerkTokenRejectedError) && !(error instanceof UnauthorizedException) && !(error instanceof ClerkCrossSiteRequestError)) throw error;
    }
  }

  /** What `refuse` throws (it must throw; anything it returns instead is refused with a plain 401). */
  private refusalOf(refusal: ClerkTokenRejectedError, context: ExecutionContext): unknown {
    recordRefusal(refusal.reason, refusal.carrier);
    try {
      this.refuse(refusal.reason, context, refusal.carrier);
    } catch (thrown) {
      return thrown;
    }
    return new UnauthorizedException();
  }
}
