import type { ClerkPasswordHasher } from '../options/migration-options.js';

/** What a row's password becomes in Clerk. */
export type PasswordPlan =
  | { kind: 'digest'; passwordDigest: string; passwordHasher: ClerkPasswordHasher }
  | { kind: 'passwordless'; reason: 'no-hash' | 'no-hasher' | 'own-format' | 'not-this-format' };

/** `hashPassword`'s output (lib/users/password-hasher.ts): `scrypt$N$r$p$salt$hash`, base64url parts. */
const OWN_FORMAT = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/;

/**
 * What a digest of each hasher looks like, where Clerk documents a recognisable shape: a hash that
 * does not look like one is never sent under that name (Clerk would store a password nobody can use).
 */
const SHAPES: Partial<Record<ClerkPasswordHasher, RegExp>> = {
  bcrypt: /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/,
  argon2i: /^\$argon2i\$/,
  argon2id: /^\$argon2id\$/,
  bcrypt_sha256_django: /^bcrypt_sha256\$\$2[abxy]?\$/,
  pbkdf2_sha256_django: /^pbkdf2_sha256\$\d+\$/,
  pbkdf2_sha256: /^pbkdf2_sha256\$\d+\$/,
  pbkdf2_sha1: /^pbkdf2_sha1\$\d+\$/,
  scrypt_werkzeug: /^scrypt:\d+:\d+:\d+\$/,
  phpass: /^\$[PH]\$/,
  md5_phpass: /^\$[PH]\$/,
  ldap_ssha: /^\{SSHA\}/i,
};

/** Whether `hash` is in this package's own staff-login format, which no Clerk hasher reads. */
export const isOwnPasswordHash = (hash: string): boolean => OWN_FORMAT.test(hash);

/**
 * The password a migrated row takes into Clerk: its hash as `password_digest` when the module names
 * the hasher and the hash has that hasher's shape; otherwise none (the user signs in by email code,
 * a social connection or a sign-in link). A hash in the package's own format is never sent.
 */
export function planPassword(hash: string | null | undefined, hasher: ClerkPasswordHasher | null): PasswordPlan {
  if (!hash) return { kind: 'passwordless', reason: 'no-hash' };
  if (isOwnPasswordHash(hash)) return { kind: 'passwordless', reason: 'own-format' };
  if (!hasher) return { kind: 'passwordless', reason: 'no-hasher' };
  const shape = SHAPES[hasher];
  if (shape && !shape.test(hash)) return { kind: 'passwordless', reason: 'not-this-format' };
  return { kind: 'digest', passwordDigest: hash, passwordHasher: hasher };
}
