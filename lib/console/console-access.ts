import { UseGuards, type Type } from '@nestjs/common';
import { RequireStaff, RequireSuperuser } from '../auth/require.decorators.js';
import type { ClerkConsoleAccess } from './clerk-console-options.js';
import { ConsoleOriginGuard } from './console-origin.guard.js';

/**
 * Puts a console controller behind the module's guard: `@RequireSuperuser()` or `@RequireStaff()`
 * (401 anonymous, 403 not allowed), then the Origin check of unsafe requests (403). Applied to the
 * class, in that order, so an anonymous cross-site request is a 401 and a staff one a 403.
 */
export function guardConsoleController(controller: Type, access: ClerkConsoleAccess): void {
  (access === 'staff' ? RequireStaff() : RequireSuperuser())(controller);
  UseGuards(ConsoleOriginGuard)(controller);
}
