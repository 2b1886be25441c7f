import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface';
import { orgContextOf } from './org-claims';

/** The active organization of the verified token: `{ id, slug, role, permissions }`, or `null`. */
export const CurrentOrg = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  orgContextOf(context.switchToHttp().getRequest<ClerkAuthenticatedRequest>().auth),
);
