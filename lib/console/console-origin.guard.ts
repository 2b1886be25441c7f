import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { isUntrustedUnsafeRequest } from '../auth/csrf-check.js';
import type { RequestWithHeaders } from '../auth/token-extractor.js';

/**
 * Every unsafe console request (anything but GET/HEAD/OPTIONS) must name one of `authorizedParties`
 * in `Origin` (or `Referer`), whatever credential it carries: the check server sessions make, 403
 * otherwise. The console acts on accounts, so a bearer token does not exempt a request from it.
 */
@Injectable()
export class ConsoleOriginGuard implements CanActivate {
  constructor(@Inject(CLERK_RESOLVED_OPTIONS) private readonly options: ResolvedClerkUsersOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') throw new ForbiddenException();
    const request = context.switchToHttp().getRequest<RequestWithHeaders & { method?: unknown }>();
    if (isUntrustedUnsafeRequest(request, this.options.authorizedParties)) throw new ForbiddenException('Cross-origin request refused');
    return true;
  }
}
