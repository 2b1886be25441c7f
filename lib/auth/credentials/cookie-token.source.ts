import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../../options/clerk-users-options.interface.js';
import { ClerkTokenVerifier } from '../clerk-token-verifier.service.js';
import type { ClerkAuthenticatedRequest } from '../clerk-request.interface.js';
import { isUntrustedUnsafeRequest } from '../csrf-check.js';
import { ClerkCrossSiteRequestError } from '../cross-site-request.error.js';
import type { ClerkCredential, ClerkCredentialInput, ClerkCredentialSource } from './clerk-credential.js';
import { verifiedSessionToken } from './session-token-credential.js';

/**
 * Clerk's session cookie, verified like a bearer token (stateless); the last source asked. A browser
 * sends the cookie on cross-site requests too, and `azp` only says which frontend minted the token,
 * not who sent the request: an unsafe request carrying it must name one of `authorizedParties` in
 * `Origin` (or `Referer`), else it is refused before the token is even verified (CSRF).
 */
@Injectable()
export class CookieTokenSource implements ClerkCredentialSource {
  readonly carrier = 'cookie';
  private readonly logger = new Logger('ClerkAuth');

  constructor(
    private readonly verifier: ClerkTokenVerifier,
    @Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions,
  ) {}

  present(_request: unknown, input: ClerkCredentialInput): boolean {
    return input.cookie !== null;
  }

  async read(request: ClerkAuthenticatedRequest & { method?: unknown }, input: ClerkCredentialInput): Promise<ClerkCredential | null> {
    if (input.cookie === null) return null;
    if (isUntrustedUnsafeRequest(request, this.options.authorizedParties)) {
      this.logger.debug(`cookie-authenticated ${String(request.method)} from an untrusted origin refused (CSRF)`);
      throw new ClerkCrossSiteRequestError();
    }
    return { auth: await verifiedSessionToken(this.verifier, input.cookie, 'cookie'), carrier: 'cookie' };
  }
}
