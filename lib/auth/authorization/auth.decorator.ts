import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { clerkAuthStateOf } from '../transports/clerk-auth-target.js';
import { authObjectOf } from './auth-object.js';

/**
 * The caller's auth object (`ClerkAuthObject`): a Clerk session with Clerk's `has()` on it, a
 * machine caller or a password login; `null` without a caller (a `@Public()` route). Works in
 * controllers, GraphQL resolvers and socket.io gateways.
 */
export const Auth = createParamDecorator((_data: unknown, context: ExecutionContext) => authObjectOf(clerkAuthStateOf(context)?.auth));
