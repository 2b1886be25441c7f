/** Injection token of the console's checked options. */
export const CLERK_CONSOLE_OPTIONS = Symbol.for('nestjs-clerk-users:console-options');

/** Page size of the lists unless `limit` says otherwise, and its ceiling. */
export const CONSOLE_DEFAULT_LIMIT = 50;
export const CONSOLE_MAX_LIMIT = 200;
