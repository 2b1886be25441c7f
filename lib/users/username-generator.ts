import { randomBytes } from 'node:crypto';
import type { EntityMetadata, Repository } from 'typeorm';
import type { AbstractClerkUser } from './abstract-clerk-user.entity.js';

/** How usernames are generated for one user entity (from option `autoGenerateUsername`). */
export interface UsernamePolicy {
  prefix: string;
  pushToClerk: boolean;
  /**
   * Random per registration. The set-based upsert derives a new row's name from it and the Clerk id
   * (`<prefix>_` + 16 hex digits of md5(salt || id)), so the same statement can tell, on a conflict,
   * that the name it proposes is generated (Clerk sent none) and keep the stored one instead.
   */
  salt: string;
}

/** Random part of a generated name: 16 hex digits (64 bits), so names stay unique among millions of rows. */
const RANDOM_HEX_DIGITS = 16;

const policies = new WeakMap<EntityMetadata, UsernamePolicy>();

/** Turns generation on (or off, with `null`) for the user entity of `metadata` (per DataSource). */
export function registerUsernamePolicy(metadata: EntityMetadata, options: { prefix: string; pushToClerk: boolean } | null): UsernamePolicy | null {
  if (!options) {
    policies.delete(metadata);
    return null;
  }
  // The prefix becomes an SQL literal: only the characters the option allows.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(options.prefix)) throw new Error('username prefix: 1-40 letters, digits, "_" or "-"');
  const policy = { ...options, salt: randomBytes(16).toString('hex') };
  policies.set(metadata, policy);
  return policy;
}

/** The username policy of a user entity, or `null` when generation is off. */
export const usernamePolicyOf = (metadata: EntityMetadata): UsernamePolicy | null => policies.get(metadata) ?? null;

/** A fresh `<prefix>_<16 hex digits>`. */
export const generateUsername = (prefix: string): string => `${prefix}_${randomBytes(RANDOM_HEX_DIGITS / 2).toString('hex')}`;

/**
 * SQL of the name the set-based upsert gives a new row of Clerk id `clerkId` (an SQL expression).
 * `prefix` and `salt` are checked (letters, digits, `_`, `-`; hex), so they are safe as literals.
 */
export const generatedUsernameSql = (policy: UsernamePolicy, clerkId: string): string =>
  `'${policy.prefix}_' || substr(md5('${policy.salt}' || ${clerkId}), 1, ${RANDOM_HEX_DIGITS})`;

/** Attempts at a free random name before giving up (64 random bits: a second attempt is already rare). */
const ATTEMPTS = 5;

/**
 * A generated name no row of `repository` holds, or `null` when the entity has no username policy.
 * Used where rows are written one by one (the linking path, the `generate-usernames` command).
 */
export async function unusedGeneratedUsername(repository: Repository<AbstractClerkUser>, prefix?: string): Promise<string | null> {
  const chosenPrefix = prefix ?? usernamePolicyOf(repository.metadata)?.prefix;
  if (chosenPrefix === undefined) return null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const candidate = generateUsername(chosenPrefix);
    if (!(await repository.exists({ where: { username: candidate } as never }))) return candidate;
  }
  throw new Error(`no free username with prefix ${chosenPrefix} after ${ATTEMPTS} attempts`);
}
