/** Default Clerk Backend API origin. */
export { DEFAULT_CLERK_API_URL } from './options/defaults.js';

/** Injection token of the normalised, validated module options. */
export const CLERK_RESOLVED_OPTIONS = Symbol.for('nestjs-clerk-users:resolved-options');

/** Injection token of the user entity class the module works with. */
export const CLERK_USER_ENTITY = Symbol.for('nestjs-clerk-users:user-entity');

/** Injection token of the `@clerk/backend` client. */
export const CLERK_CLIENT = Symbol.for('nestjs-clerk-users:clerk-client');

/** Injection token of the cache-manager `Cache` the module stores tokens and users in. */
export const CLERK_CACHE = Symbol.for('nestjs-clerk-users:cache');

/** Name of the Passport strategy. */
export const CLERK_STRATEGY_NAME = 'clerk';

/** Cookie Clerk's frontend keeps the session token in; with a publishable key, `__session_<suffix>` is read first. */
export const CLERK_SESSION_COOKIE = '__session';

/** Injection token of the TypeORM repository of the user entity. */
export const CLERK_USER_REPOSITORY = Symbol.for('nestjs-clerk-users:user-repository');
