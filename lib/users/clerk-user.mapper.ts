import type { ClerkUserJson } from './clerk-user-json.interface.js';
import { InvalidClerkPayloadError } from '../common/invalid-clerk-payload.error.js';

/** Columns derived from Clerk's user JSON. */
export interface MappedClerkUser {
  clerkId: string;
  email: string | null;
  emailVerified: boolean;
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

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const date = (value: unknown): Date | null => (typeof value === 'number' && Number.isFinite(value) ? new Date(value) : null);

/** The one mapping from Clerk's user JSON to entity columns (provisioning, webhooks and sync use it). */
export function mapClerkUser(json: ClerkUserJson): MappedClerkUser {
  if (!json || typeof json !== 'object' || typeof json.id !== 'string' || !json.id.startsWith('user_')) {
    throw new InvalidClerkPayloadError('not a Clerk user object (missing "id" user_…)');
  }
  // The primary address is the one named by primary_email_address_id, never simply the first.
  const primary = (json.email_addresses ?? []).find((address) => address?.id === json.primary_email_address_id);
  const email = primary && typeof primary.email_address === 'string' ? primary.email_address.trim().toLowerCase() || null : null;
  const metadata = json.public_metadata;
  return {
    clerkId: json.id,
    email,
    emailVerified: primary?.verification?.status === 'verified',
    username: typeof json.username === 'string' && json.username ? json.username : null,
    firstName: text(json.first_name),
    lastName: text(json.last_name),
    imageUrl: text(json.image_url),
    publicMetadata: metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? metadata : {},
    // Banned and locked users are both refused; an unlock (a later user.updated) re-activates.
    isActive: json.banned !== true && json.locked !== true,
    lastLogin: date(json.last_sign_in_at),
    clerkUpdatedAt: date(json.updated_at),
  };
}

/** Columns a verified session token's claims can give (Clerk's default claims carry none; custom session claims may). */
export interface SessionClaimsProfile {
  clerkId: string;
  firstName: string;
  lastName: string;
  imageUrl: string;
}

const claimText = (claims: Record<string, unknown>, name: string): string => {
  const value = claims[name];
  return typeof value === 'string' ? value : '';
};

/** The starting row of a user known only from a verified token (no secret key to ask Clerk); webhooks fill in the rest. */
export function mapSessionClaims(clerkId: string, claims: Record<string, unknown>): SessionClaimsProfile {
  return { clerkId, firstName: claimText(claims, 'first_name'), lastName: claimText(claims, 'last_name'), imageUrl: claimText(claims, 'image_url') };
}
