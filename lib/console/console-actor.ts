import { ForbiddenException } from '@nestjs/common';
import type { ClerkAuthenticatedRequest } from '../auth/clerk-request.interface.js';

/** The staff member acting in the console, as the audit records them. */
export interface ConsoleActor {
  userId: string;
  label: string;
  isSuperuser: boolean;
}

/** How a user row is named in the audit and the page: email, else username, else Clerk id, else local id. */
export function userLabel(user: { id: string; email: string | null; username: string | null; clerkId: string | null }): string {
  return user.email ?? user.username ?? user.clerkId ?? user.id;
}

/** The signed-in user of a console request (the module's guard already required one). */
export function consoleActor(request: ClerkAuthenticatedRequest): ConsoleActor {
  const user = request.user;
  if (!user) throw new ForbiddenException();
  return { userId: user.id, label: userLabel(user), isSuperuser: user.isSuperuser };
}
