import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { CLERK_STRATEGY_NAME } from '../clerk-users.constants.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { ClerkAuthenticator } from './clerk-authenticator.service.js';
import { ClerkTokenRejectedError } from './token-rejected.error.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';

/** Passport strategy `clerk`: usable with `AuthGuard('clerk')` as well as `ClerkAuthGuard`. */
@Injectable()
export class ClerkStrategy extends PassportStrategy(Strategy, CLERK_STRATEGY_NAME) {
  constructor(private readonly authenticator: ClerkAuthenticator) {
    super();
  }

  async validate(request: ClerkAuthenticatedRequest): Promise<AbstractClerkUser> {
    let user: AbstractClerkUser | null;
    try {
      user = await this.authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof ClerkTokenRejectedError) throw new UnauthorizedException();
      throw error;
    }
    if (!user) throw new UnauthorizedException();
    return user;
  }
}
