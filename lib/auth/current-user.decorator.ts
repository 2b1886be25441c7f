import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import { clerkAuthStateOf } from './transports/clerk-auth-target.js';
import { isMachineAuth } from './machine-token-type.js';

/**
 * The local user entity of the call (`undefined` on a public route or message without a valid
 * token, `null` for a machine caller: `request.auth.tokenType` tells which); `@CurrentUser('email')`
 * picks a property. Works in controllers, GraphQL resolvers and socket.io gateways.
 */
export const CurrentUser = createParamDecorator((property: keyof AbstractClerkUser | string | undefined, context: ExecutionContext) => {
  const state = clerkAuthStateOf(context);
  if (isMachineAuth(state?.auth)) return null;
  const user = state?.user;
  return property && user ? (user as unknown as Record<string, unknown>)[property] : user;
});
