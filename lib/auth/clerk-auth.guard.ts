import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkAuthenticator } from './clerk-authenticator.service.js';
import { assertAuthorized } from './clerk-authorization.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import { isOptionalAuth, RoutePolicyCache, type RoutePolicy } from './route-policy.js';
import { clerkAuthStateOf, resolveClerkAuthTarget, type ClerkAuthState, type ClerkAuthTarget } from './transports/clerk-auth-target.js';
import { adoptAuthentication, hasLiveAuthentication } from './transports/authenticate-target.js';
import { toTransportError } from './transports/transport-errors.js';
import { assertCallerAccepted, type ClerkMachineAccess } from './machine-access.js';
import { isMachineAuth } from './machine-token-type.js';

/**
 * Authenticates the request (the same `ClerkAuthenticator` the `clerk` Passport strategy uses,
 * called directly to keep Passport's per-request machinery off the hot path), honours `@Public()`
 * (optional auth) and the `@Require…()` decorators (403 when authenticated but not allowed).
 * Works for REST (Express, Fastify), GraphQL resolvers (HTTP and graphql-ws) and socket.io gateways.
 * Fails closed: an unknown execution context or an internal error never lets a request through.
 * Extend it and override `getAuthTarget`, `getPolicy` or `handleRequest` to adapt it.
 */
@Injectable()
export class ClerkAuthGuard implements CanActivate {
  private readonly policies: RoutePolicyCache;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: ClerkAuthenticator,
  ) {
    this.policies = new RoutePolicyCache(reflector);
  }

  canActivate(context: ExecutionContext): Promise<boolean> {
    const target = this.getAuthTarget(context);
    const verdict = this.activate(context, target);
    if (!target || target.transport === 'http') return verdict;
    // GraphQL gets UNAUTHENTICATED/FORBIDDEN errors, gateways a WsException (generic messages).
    return verdict.catch(async (error: unknown) => {
      throw await toTransportError(error, target.transport);
    });
  }

  /** Authentication and authorization of one call; throws Nest's HTTP exceptions, translated per transport by `canActivate`. */
  protected async activate(context: ExecutionContext, target: ClerkAuthTarget | null): Promise<boolean> {
    const policy = this.getPolicy(context);
    const { requirements, machines } = policy;
    const optional = isOptionalAuth(policy);
    if (!target) {
      if (optional) return true;
      throw new UnauthorizedException();
    }
    // `source` carries the token; a socket or a graphql-ws connection keeps the result on `state`.
    const request = target.source;
    if (!hasLiveAuthentication(target.state)) {
      if (optional) {
        await this.authenticateOptionally(request, machines);
        adoptAuthentication(target);
        return true;
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
    if (!optional) assertCallerAccepted(target.state.auth, machines);
    if (requirements) assertAuthorized(target.state, requirements);
    return true;
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
   * `request.auth` is a `ClerkMachineAuth`); the default refuses a missing user or machine with a generic 401.
   */
  handleRequest(error: unknown, user: AbstractClerkUser | null, context: ExecutionContext): void {
    if (error) throw error;
    if (!user && !isMachineAuth(this.getRequest(context)?.auth)) throw new UnauthorizedException();
  }

  /**
   * The user of the request, or `null` for a machine caller on a route that accepts machines
   * (`@RequireMachine()`/`@AllowMachine()`); a machine-only route refuses users with a 401.
   */
  protected async authenticateCaller(request: ClerkAuthenticatedRequest, machines: ClerkMachineAccess | null): Promise<AbstractClerkUser | null> {
    if (machines) {
      if (await this.authenticator.authenticateMachine(request, machines.types)) return null;
      if (machines.mode === 'require') throw new UnauthorizedException();
    }
    return this.authenticator.authenticate(request);
  }

  /** On a public route a valid token still sets the user (or machine, with `@AllowMachine()`); a missing or bad one is ignored. */
  protected async authenticateOptionally(request: ClerkAuthenticatedRequest, machines: ClerkMachineAccess | null = null): Promise<void> {
    if (!this.authenticator.hasToken(request)) return;
    try {
      if (machines && (await this.authenticator.authenticateMachine(request, machines.types))) return;
      await this.authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof UnauthorizedException)) throw error;
    }
  }
}
