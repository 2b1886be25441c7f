/** Who may use the console: superusers (default) or every staff member. */
export type ClerkConsoleAccess = 'superuser' | 'staff';

/** Options of `ClerkConsoleModule.forRoot()`. */
export interface ClerkConsoleOptions {
  /** Where the page is mounted; the JSON API is under `<path>/api`. Default `/clerk-console`. */
  path?: string;
  /** `'superuser'` (default, `@RequireSuperuser()`) or `'staff'` (`@RequireStaff()`). */
  access?: ClerkConsoleAccess;
}

/** The checked options. */
export interface ResolvedClerkConsoleOptions {
  path: string;
  apiPath: string;
  access: ClerkConsoleAccess;
}

/** Thrown at boot for a malformed console option; the message names it. */
export class ClerkConsoleConfigurationError extends Error {
  constructor(option: string, problem: string) {
    super(`ClerkConsoleModule: option "${option}" ${problem}`);
    this.name = 'ClerkConsoleConfigurationError';
  }
}

const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

/** Defaults applied and checked: a path of plain segments (no trailing slash, no parameters), a known access level. */
export function resolveConsoleOptions(options: ClerkConsoleOptions = {}): ResolvedClerkConsoleOptions {
  const path = options.path ?? '/clerk-console';
  if (typeof path !== 'string' || !PATH.test(path)) throw new ClerkConsoleConfigurationError('path', 'must be like "/clerk-console": plain segments, each after a "/", no trailing slash');
  const access = options.access ?? 'superuser';
  if (access !== 'superuser' && access !== 'staff') throw new ClerkConsoleConfigurationError('access', 'must be "superuser" or "staff"');
  return { path, apiPath: `${path}/api`, access };
}
