import type { ClerkEmailAddressJson, ClerkUserJson } from './clerk-user-json.interface.js';
import { InvalidClerkPayloadError } from '../common/invalid-clerk-payload.error.js';
import { CLERK_FIELD_LIMITS, optionalArray, optionalFlag, optionalJsonObject, optionalMillis, optionalString, optionalText, requiredClerkId } from '../common/clerk-json-fields.js';

/** Columns derived from Clerk's user JSON. */
export interface MappedClerkUser {
  clerkId: string;
  email: string | null;
  emailVerified: boolean;
  /** Clerk's `external_id` (only the Backend API sets it): the local row a migrated user came from. */
  externalId: string | null;
  /** `null` means Clerk has none: a local username is then kept, never wiped. */
  username: string | null;
  firstName: string;
  lastName: string;
  imageUrl: string;
  publicMetadata: Record<string, unknown>;
  isActive: boolean;
  lastLogin: Date | null;
  clerkUpdatedAt: Date | null;
}

/** The one mapping from Clerk's user JSON to entity columns (provisioning, webhooks and sync use it); a value the columns cannot hold is refused. */
export function mapClerkUser(json: ClerkUserJson): MappedClerkUser {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new InvalidClerkPayloadError('not a Clerk user object (missing "id" user_…)');
  const clerkId = requiredClerkId(json.id, 'user_', 'user object');
  const primaryId = optionalString(json.primary_email_address_id, 'primary_email_address_id', CLERK_FIELD_LIMITS.id);
  const addresses = optionalArray(json.email_addresses, 'email_addresses').map((address) => {
    if (!address || typeof address !== 'object' || Array.isArray(address)) throw new InvalidClerkPayloadError('"email_addresses" must hold objects');
    return address as ClerkEmailAddressJson;
  });
  // The primary address is the one named by primary_email_address_id, never simply the first.
  const primary = primaryId === null ? undefined : addresses.find((address) => address.id === primaryId);
  const email = primary ? optionalText(primary.email_address, 'email_address', CLERK_FIELD_LIMITS.email).trim().toLowerCase() || null : null;
  const verification = primary?.verification;
  return {
    clerkId,
    email,
    emailVerified: !!verification && typeof verification === 'object' && verification.status === 'verified',
    externalId: optionalString(json.external_id, 'external_id', CLERK_FIELD_LIMITS.id) || null,
    username: optionalString(json.username, 'username', CLERK_FIELD_LIMITS.username) || null,
    firstName: optionalText(json.first_name, 'first_name', CLERK_FIELD_LIMITS.name),
    lastName: optionalText(json.last_name, 'last_name', CLERK_FIELD_LIMITS.name),
    imageUrl: optionalText(json.image_url, 'image_url', CLERK_FIELD_LIMITS.url),
    publicMetadata: optionalJsonObject(json.public_metadata, 'public_metadata'),
    // Banned and locked users are both refused; an unlock (a later user.updated) re-activates.
    isActive: !optionalFlag(json.banned, 'banned') && !optionalFlag(json.locked, 'locked'),
    lastLogin: optionalMillis(json.last_sign_in_at, 'last_sign_in_at'),
    clerkUpdatedAt: optionalMillis(json.updated_at, 'updated_at'),
  };
}

/** Columns a verified session token's claims can give (Clerk's default claims carry none; custom session claims may). */
export interface SessionClaimsProfile {
  clerkId: string;
  firstName: string;
  lastName: string;
  imageUrl: string;
}

/**
 * A claim checked as the webhook mapping checks the same column; one that would not fit (too long,
 * a NUL byte, not a string) starts blank instead of failing the request: the token is verified, only
 * this optional profile field is unusable, and the user's webhooks fill it in.
 */
const claimText = (claims: Record<string, unknown>, name: string, maxLength: number): string => {
  try {
    return optionalText(claims[name], name, maxLength);
  } catch (error) {
    if (error instanceof InvalidClerkPayloadError) return '';
    throw error;
  }
};

/** The starting row of a user known only from a verified token (no secret key to ask Clerk); webhooks fill in the rest. */
export function mapSessionClaims(clerkId: string, claims: Record<string, unknown>): SessionClaimsProfile {
  return {
    clerkId,
    firstName: claimText(claims, 'first_name', CLERK_FIELD_LIMITS.name),
    lastName: claimText(claims, 'last_name', CLERK_FIELD_LIMITS.name),
    imageUrl: claimText(claims, 'image_url', CLERK_FIELD_LIMITS.url),
  };
}
