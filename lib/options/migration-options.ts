import { ClerkUsersConfigurationError } from './configuration.error.js';

/**
 * Password hashers the Clerk Backend API accepts as `password_hasher`: `@clerk/backend`'s
 * `PasswordHasher` (which its entry point does not export) and the others Clerk's docs list.
 */
export const CLERK_PASSWORD_HASHERS = [
  'argon2i',
  'argon2id',
  'awscognito',
  'bcrypt',
  'bcrypt_peppered',
  'bcrypt_sha256_django',
  'ldap_ssha',
  'md5',
  'md5_phpass',
  'md5_salted',
  'pbkdf2_sha1',
  'pbkdf2_sha256',
  'pbkdf2_sha256_django',
  'pbkdf2_sha512',
  'pbkdf2_sha512_hex',
  'phpass',
  'scrypt_firebase',
  'scrypt_werkzeug',
  'sha256',
  'sha256_salted',
  'sha512_symfony',
] as const;

/** A password hash format Clerk can import (`password_hasher`). */
export type ClerkPasswordHasher = (typeof CLERK_PASSWORD_HASHERS)[number];

/** Option `migration`: how `migrate-users-to-clerk` moves local rows into Clerk. */
export interface ClerkMigrationOptions {
  /** Format of the hashes in `passwordHash`: sent to Clerk as `password_digest` with this `password_hasher`. Unset: users are created passwordless. */
  passwordHasher?: ClerkPasswordHasher;
}

/** Option `autoGenerateUsername`: a username for users Clerk has none for. */
export interface ClerkAutoGenerateUsernameOptions {
  /** Start of every generated name (`<prefix>_<random>`). Default `user`. */
  prefix?: string;
  /** Also write the generated name to Clerk, so both agree. Default `true`. */
  pushToClerk?: boolean;
}

/** `autoGenerateUsername` after defaults (`null`: off). */
export interface ResolvedAutoGenerateUsername {
  prefix: string;
  pushToClerk: boolean;
}

// Clerk usernames hold letters, digits, `_` and `-`, at most 64 characters; the random part takes 17.
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export function resolveMigrationOptions(value: unknown): { passwordHasher: ClerkPasswordHasher | null } {
  if (value === undefined) return { passwordHasher: null };
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ClerkUsersConfigurationError('migration', 'must be an object such as { passwordHasher: "bcrypt" }');
  const hasher = (value as ClerkMigrationOptions).passwordHasher;
  if (hasher === undefined) return { passwordHasher: null };
  if (!CLERK_PASSWORD_HASHERS.includes(hasher)) {
    throw new ClerkUsersConfigurationError('migration.passwordHasher', `must be one of Clerk's password hashers: ${CLERK_PASSWORD_HASHERS.join(', ')}`);
  }
  return { passwordHasher: hasher };
}

export function resolveAutoGenerateUsername(value: unknown): ResolvedAutoGenerateUsername | null {
  if (value === undefined || value === false) return null;
  const given: ClerkAutoGenerateUsernameOptions = value === true ? {} : (value as ClerkAutoGenerateUsernameOptions);
  if (!given || typeof given !== 'object' || Array.isArray(given)) throw new ClerkUsersConfigurationError('autoGenerateUsername', 'must be true, false or { prefix?, pushToClerk? }');
  const prefix = given.prefix ?? 'user';
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new ClerkUsersConfigurationError('autoGenerateUsername.prefix', 'must be 1-40 letters, digits, "_" or "-", starting with a letter or digit');
  }
  if (given.pushToClerk !== undefined && typeof given.pushToClerk !== 'boolean') throw new ClerkUsersConfigurationError('autoGenerateUsername.pushToClerk', 'must be a boolean');
  return { prefix, pushToClerk: given.pushToClerk ?? true };
}
