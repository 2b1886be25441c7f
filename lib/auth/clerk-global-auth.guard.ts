import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { ClerkAuthenticator } from './clerk-authenticator.service.js';
import { ClerkAuthGuard } from './clerk-auth.guard.js';

/** The `APP_GUARD` the module registers; inert when `globalGuard: false`. */
@Injectable()
export class ClerkGlobalAuthGuard extends ClerkAuthGuard {
  constructor(
    reflector: Reflector,
    authenticator: ClerkAuthenticator,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {
    super(reflector, authenticator);
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    return this.options.globalGuard ? super.canActivate(context) : Promise.resolve(true);
  }
}
