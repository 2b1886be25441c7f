import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface';
import { orgContextOf } from './org-claims';

/** Options of `@CurrentOrg()`. */
export interface CurrentOrgOptions {
  /** Return the local organization entity (`OrganizationsModule`) instead of the token's org claims. */
  entity?: boolean;
}

/**
 * The active organization of the verified token: `{ id, slug, role, permissions }`, or `null`.
 * `@CurrentOrg({ entity: true })` gives the local `ClerkOrganization` when the user is a recorded member.
 */
export const CurrentOrg = createParamDecorator((options: CurrentOrgOptions | undefined, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<ClerkAuthenticatedRequest>();
  return options?.entity ? (request.organization ?? null) : orgContextOf(request.auth);
});
