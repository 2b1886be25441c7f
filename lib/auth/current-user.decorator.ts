import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity';
import { clerkAuthStateOf } from './transports/clerk-auth-target';

/**
 * The local user entity of the call (`undefined` on a public route or message without a valid
 * token); `@CurrentUser('email')` picks a property. Works in controllers, GraphQL resolvers and
 * socket.io gateways.
 */
export const CurrentUser = createParamDecorator((property: keyof AbstractClerkUser | string | undefined, context: ExecutionContext) => {
  const user = clerkAuthStateOf(context)?.user;
  return property && user ? (user as unknown as Record<string, unknown>)[property] : user;
});
