import {
  Catch,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  Injectable,
  Logger,
  Post,
  Req,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '../auth/public.decorator.js';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { isUntrustedUnsafeRequest } from '../auth/csrf-check.js';
import { LocalLoginRateLimitedException, LocalLoginService } from './local-login.service.js';
import { ClerkServerSessions } from './server-session.service.js';

/** What a successful login answers. */
export interface LocalLoginResponse {
  id: string;
  email: string | null;
  username: string | null;
  isStaff: boolean;
  isSuperuser: boolean;
}

type LoginRequest = ClerkAuthenticatedRequest & { method?: string };

/** Adds `Retry-After` to the 429 of a rate-limited login (an exception cannot set headers itself). */
@Catch(LocalLoginRateLimitedException)
export class LocalLoginRateLimitFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: LocalLoginRateLimitedException, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    httpAdapter.setHeader(response, 'Retry-After', String(exception.retryAfterSeconds));
    httpAdapter.reply(response, exception.getResponse(), exception.getStatus());
  }
}

/** Base of the login/logout endpoints; `createLocalAuthController(path)` mounts it. */
@Injectable()
export class LocalAuthControllerBase {
  private readonly logger = new Logger('ClerkLocalAuth');

  constructor(
    private readonly logins: LocalLoginService,
    private readonly sessions: ClerkServerSessions,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {}

  /**
   * Checks the password (the same `LocalLoginService` the `clerk-local` strategy uses, called directly
   * as `ClerkAuthGuard` does with the `clerk` one) and starts the server session (new session id).
   */
  async login(request: LoginRequest): Promise<LocalLoginResponse> {
    const user = await this.logins.authenticate(request);
    await this.sessions.startLocalSession(request, user);
    return { id: user.id, email: user.email, username: user.username, isStaff: user.isStaff, isSuperuser: user.isSuperuser };
  }

  /** Ends the server session, whichever kind it holds. */
  async logout(request: LoginRequest): Promise<void> {
    if (isUntrustedUnsafeRequest(request, this.options.authorizedParties)) {
      this.logger.debug('logout from an untrusted origin refused (CSRF)');
      throw new ForbiddenException();
    }
    await this.sessions.endSession(request);
  }
}

/** The `localAuth` controller for `path` (`POST <path>/login`, `POST <path>/logout`). */
export function createLocalAuthController(path: string): Type<LocalAuthControllerBase> {
  @Controller(path)
  @UseFilters(LocalLoginRateLimitFilter)
  class ClerkLocalAuthController extends LocalAuthControllerBase {
    @Public()
    @Post('login')
    @HttpCode(200)
    override login(@Req() request: LoginRequest): Promise<LocalLoginResponse> {
      return super.login(request);
    }

    @Public()
    @Post('logout')
    @HttpCode(204)
    override logout(@Req() request: LoginRequest): Promise<void> {
      return super.logout(request);
    }
  }
  return ClerkLocalAuthController;
}
