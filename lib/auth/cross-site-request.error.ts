import { ForbiddenException } from '@nestjs/common';

/**
 * A cookie- or session-authenticated unsafe request (POST, PUT, PATCH, DELETE, …) that does not come
 * from `authorizedParties` (CSRF): 403 on a guarded route; on a `@Public()` route the credential is
 * ignored and the request goes on anonymously.
 */
export class ClerkCrossSiteRequestError extends ForbiddenException {
  constructor() {
    super();
    this.name = 'ClerkCrossSiteRequestError';
  }
}
