import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity';
import { AUTHENTICATED_REQUESTS } from './auth.constants';
import { ClerkAuthenticator } from './clerk-authenticator.service';
import { assertAuthorized } from './clerk-authorization';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface';
import { RoutePolicyCache, type RoutePolicy } from './route-policy';

/**
 * Authenticates the request (the same `ClerkAuthenticator` the `clerk` Passport strategy uses,
 * called directly to keep Passport's per-request machinery off the hot path), honours `@Public()`
 * (optional auth) and the `@Require…()` decorators (403 when authenticated but not allowed).
 * Fails closed: an unknown execution context or an internal error never lets a request through.
 * Extend it and override `getRequest`, `getPolicy` or `handleRequest` to adapt it.
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

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, requirements } = this.getPolicy(context);
    const request = this.getRequest(context);
    if (!request) {
      if (isPublic && !requirements) return true;
      throw new UnauthorizedException();
    }
    if (!AUTHENTICATED_REQUESTS.has(request)) {
      if (isPublic && !requirements) {
        await this.authenticateOptionally(request);
        return true;
      }
      let user: AbstractClerkUser | null = null;
      let failure: unknown;
      try {
        user = await this.authenticator.authenticate(request);
      } catch (error) {
        failure = error;
      }
      this.handleRequest(failure, user, context);
    }
    if (requirements) assertAuthorized(request, requirements);
    return true;
  }

  /** The HTTP request, or `null` for a context this guard cannot read (which is then denied). */
  getRequest(context: ExecutionContext): ClerkAuthenticatedRequest | null {
    return context.getType() === 'http' ? context.switchToHttp().getRequest<ClerkAuthenticatedRequest>() : null;
  }

  /** `@Public()` and `@Require…()` of the route (handler metadata overrides class metadata). */
  protected getPolicy(context: ExecutionContext): RoutePolicy {
    return this.policies.get(context);
  }

  /** Like `AuthGuard.handleRequest`: throw to refuse. The default refuses a missing user with a generic 401. */
  handleRequest(error: unknown, user: AbstractClerkUser | null, _context: ExecutionContext): void {
    if (error) throw error;
    if (!user) throw new UnauthorizedException();
  }

  /** On a public route a valid token still sets the user; a missing or bad one is ignored. */
  protected async authenticateOptionally(request: ClerkAuthenticatedRequest): Promise<void> {
    if (!this.authenticator.hasToken(request)) return;
    try {
      await this.authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof UnauthorizedException)) throw error;
    }
  }
}
