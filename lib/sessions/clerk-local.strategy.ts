import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { LocalLoginService, type LocalLoginRequest } from './local-login.service.js';
import { CLERK_LOCAL_STRATEGY_NAME } from './sessions.constants.js';

/**
 * Passport strategy `clerk-local` (option `localAuth`): a JSON body `{ email | username, password }`
 * proves a local (staff) account. It only checks the password; `ClerkServerSessions.startLocalSession`
 * turns the result into a server session, as `POST <localAuth.path>/login` does.
 */
@Injectable()
export class ClerkLocalStrategy extends PassportStrategy(Strategy, CLERK_LOCAL_STRATEGY_NAME) {
  constructor(private readonly logins: LocalLoginService) {
    super();
  }

  validate(request: LocalLoginRequest): Promise<AbstractClerkUser> {
    return this.logins.authenticate(request);
  }
}
