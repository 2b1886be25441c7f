import type { User } from '@clerk/backend';
import type { ClerkPasswordHasher } from '../options/migration-options.js';
import type { AbstractClerkUser } from '../users/abstract-clerk-user.entity.js';

/**
 * Whom a `ClerkAccountsService` method acts on: a Clerk user id (`user_…`) or a local user row with
 * its `clerkId` (a row without one is refused with `ClerkUserNotLinkedError`).
 */
export type ClerkAccountTarget = string | Pick<AbstractClerkUser, 'clerkId'>;

/** What `ClerkAccountsService.createUser()` sends to Clerk. Without a password or digest the user is passwordless. */
export interface CreateClerkUserInput {
  email: string;
  /** A plaintext password (Clerk checks its strength). */
  password?: string;
  /** An existing hash to keep the user's password, with `passwordHasher` naming its format. */
  passwordDigest?: string;
  /** Format of `passwordDigest`: one of Clerk's hashers (`bcrypt`, `argon2id`, `pbkdf2_sha256_django`, `scrypt_firebase`, …). */
  passwordHasher?: ClerkPasswordHasher;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** Derive a username from the email when none is given, trying another (up to 5 in all) while Clerk says it is taken. */
  autoUsername?: boolean;
  /** Your own id of the user, unique in the Clerk instance (`external_id`). */
  externalId?: string;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  unsafeMetadata?: Record<string, unknown>;
}

/** The outcome of `createUser()`: the local row, Clerk's user, and whether Clerk created it (`false`: the email was already there). */
export interface CreateClerkUserResult<T extends AbstractClerkUser = AbstractClerkUser> {
  user: T;
  clerkUser: User;
  created: boolean;
}

/** Options of `createSignInLink()`. */
export interface SignInLinkOptions {
  /** Absolute URL of the page that completes the sign-in with Clerk's ticket (`__clerk_ticket`). */
  redirectUrl: string;
  /** Lifetime of the sign-in token; default 7200 (two hours). */
  expiresInSeconds?: number;
}

/** A one-time sign-in link: `url` is `redirectUrl` carrying Clerk's ticket, `token` the ticket itself. */
export interface ClerkSignInLink {
  url: string;
  token: string;
  expiresAt: Date;
}

/** Options of `provisionAccessLink()`: the new user's details (when Clerk does not know the email yet) and the link's lifetime. */
export interface ProvisionAccessLinkOptions extends Omit<CreateClerkUserInput, 'email'> {
  expiresInSeconds?: number;
}

/** The outcome of `provisionAccessLink()`. */
export interface ClerkAccessLink {
  clerkUserId: string;
  url: string;
  /** `false` when Clerk already had a user with that email. */
  created: boolean;
}

/** Options of `inviteUser()`. */
export interface InviteUserOptions {
  redirectUrl?: string;
  publicMetadata?: Record<string, unknown>;
  /** Whether Clerk emails the invitation (Clerk's default: true). */
  notify?: boolean;
}

/** Options of `inviteToOrganization()`. */
export interface InviteToOrganizationOptions {
  /** Clerk user id of the member who invites (Clerk checks their permission). */
  inviterUserId?: string;
  redirectUrl?: string;
}

/** A metadata merge: each given object is deep-merged into Clerk's; a `null` value deletes its key. */
export interface ClerkMetadataUpdate {
  public?: Record<string, unknown>;
  private?: Record<string, unknown>;
  unsafe?: Record<string, unknown>;
}

/** Profile fields `updateUser()` changes in Clerk. */
export interface ClerkUserProfileUpdate {
  firstName?: string;
  lastName?: string;
  username?: string;
  externalId?: string;
}
