import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface';

/** The local user entity of the request (`undefined` on a public route without a valid token); `@CurrentUser('email')` picks a property. */
export const CurrentUser = createParamDecorator((property: keyof AbstractClerkUser | string | undefined, context: ExecutionContext) => {
  const user = context.switchToHttp().getRequest<ClerkAuthenticatedRequest>().user;
  return property && user ? (user as unknown as Record<string, unknown>)[property] : user;
});
