import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';
import type { ClerkAuth } from './clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from './clerk-request.interface.js';
import { bearerTokenOf } from './token-extractor.js';

/** The parts of the request pipeline a guard may replace (`ClerkAuthGuard`'s protected hooks of the same names). */
export interface ClerkPipelineHooks<T extends AbstractClerkUser = AbstractClerkUser> {
  /** The stateless credential of the request, or `null`. */
  extractCredential(request: ClerkAuthenticatedRequest<T>): string | null;
  /** Whether a resolved user may pass (default: `user.isActive`). */
  isUserActive(user: T, auth: ClerkAuth): boolean;
}

/** `Authorization: Bearer …` and `user.isActive`: what the module's own guard, strategy and WebSocket helpers use. */
export const DEFAULT_PIPELINE_HOOKS: ClerkPipelineHooks = Object.freeze({
  extractCredential: (request: ClerkAuthenticatedRequest) => bearerTokenOf(request),
  isUserActive: (user: AbstractClerkUser) => user.isActive,
});
