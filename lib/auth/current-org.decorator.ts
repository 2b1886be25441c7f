import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { orgContextOf } from './org-claims.js';
import { clerkAuthStateOf } from './transports/clerk-auth-target.js';

/** Options of `@CurrentOrg()`. */
export interface CurrentOrgOptions {
  /** Return the local organization entity (`OrganizationsModule`) instead of the token's org claims. */
  entity?: boolean;
}

/**
 * The active organization of the verified token: `{ id, slug, role, permissions }`, or `null`.
 * `@CurrentOrg({ entity: true })` gives the local `ClerkOrganization` when the user is a recorded member.
 * Works in controllers, GraphQL resolvers and socket.io gateways.
 */
export const CurrentOrg = createParamDecorator((options: CurrentOrgOptions | undefined, context: ExecutionContext) => {
  const state = clerkAuthStateOf(context);
  return options?.entity ? (state?.organization ?? null) : orgContextOf(state?.auth);
});
