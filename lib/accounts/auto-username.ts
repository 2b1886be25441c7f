import { randomInt } from 'node:crypto';

/** Clerk's username rules: 4 to 64 characters, letters, digits, `_` and `-`. */
const MIN_LENGTH = 4;
const MAX_LENGTH = 64;
const SUFFIX_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const SUFFIX_LENGTH = 6;

/** How many usernames `createUser({ autoUsername })` tries before giving up on Clerk's duplicate-username answer. */
export const AUTO_USERNAME_ATTEMPTS = 5;

/**
 * A username derived from an email's local part (`Ada.Lovelace+x@…` → `ada_lovelace_x`); from the
 * second attempt on, a random suffix makes it differ from the one Clerk found taken.
 */
export function usernameFromEmail(email: string, attempt: number): string {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@'))) || email;
  let base = local
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  if (base.length < MIN_LENGTH) base = `user_${base}`.replace(/_$/, '');
  if (attempt === 0) return base.slice(0, MAX_LENGTH);
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return `${base.slice(0, MAX_LENGTH - SUFFIX_LENGTH - 1)}_${suffix}`;
}
