import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../../options/clerk-users-options.interface.js';
import type { RequestWithHeaders } from '../token-extractor.js';
import { sessionCookieTokenOf } from '../token-extractor.js';
import { sessionCookieNamesFor, UNSUFFIXED_SESSION_COOKIES, type SessionCookieNames } from '../session-cookie-names.js';

/** Reads Clerk's session cookie: `__session_<suffix>` (suffix of the publishable key, derived once at boot) then `__session`. */
@Injectable()
export class ClerkSessionCookies implements OnModuleInit {
  private names: SessionCookieNames = UNSUFFIXED_SESSION_COOKIES;

  constructor(@Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions) {}

  /** WebCrypto is async: derive the suffixed name once, so requests never wait for it. */
  async onModuleInit(): Promise<void> {
    this.names = await sessionCookieNamesFor(this.options.publishableKey);
  }

  read(request: RequestWithHeaders): string | null {
    return sessionCookieTokenOf(request, this.names);
  }
}
