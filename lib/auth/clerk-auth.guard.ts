import { Injectable, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { CLERK_STRATEGY_NAME } from '../clerk-users.constants';
import { CLERK_AUTHENTICATED, CLERK_IS_PUBLIC } from './auth.constants';
import { ClerkAuthenticator } from './clerk-authenticator.service';
import { assertAuthorized, readRequirements } from './clerk-authorization';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface';

/**
 * Authenticates with the `clerk` Passport strategy, honours `@Public()` (optional auth) and the
 * `@Require…()` decorators (403 when authenticated but not allowed). Fails closed: an unknown
 * execution context or an internal error never lets a request through.
 * Extend it and override `getRequest` / `isPublic` to adapt it.
 */
@Injectable()
export class ClerkAuthGuard extends AuthGuard(CLERK_STRATEGY_NAME) {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: ClerkAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context);
    const isPublic = this.isPublic(context);
    const requirements = readRequirements(this.reflector, context);
    if (!request) {
      if (isPublic && !requirements) return true;
      throw new UnauthorizedException();
    }
    if (!request[CLERK_AUTHENTICATED]) {
      if (isPublic && !requirements) {
        await this.authenticateOptionally(request);
        return true;
      }
      await super.canActivate(context);
    }
    if (requirements) assertAuthorized(request, requirements);
    return true;
  }

  /** The HTTP request, or `null` for a context this guard cannot read (which is then denied). */
  override getRequest(context: ExecutionContext): ClerkAuthenticatedRequest | null {
    return context.getType() === 'http' ? context.switchToHttp().getRequest<ClerkAuthenticatedRequest>() : null;
  }

  protected isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(CLERK_IS_PUBLIC, [context.getHandler(), context.getClass()]) ?? false;
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
