import { InvalidClerkPayloadError } from '../common/invalid-clerk-payload.error.js';
import { CLERK_FIELD_LIMITS, optionalArray, optionalInteger, optionalJsonObject, optionalMillis, optionalString, optionalText, requiredClerkId } from '../common/clerk-json-fields.js';
import type { ClerkInvitationStatus } from './abstract-clerk-organization-invitation.entity.js';
import type { ClerkOrganizationInvitationJson, ClerkOrganizationJson, ClerkOrganizationMembershipJson, ClerkPublicUserDataJson } from './clerk-organization-json.interface.js';

// Every value these mappers return fits its column: a payload that would not is refused
// (InvalidClerkPayloadError, a 400 for the webhook endpoint) before anything is written.

function withOrgPrefix(value: unknown): string {
  const role = optionalString(value, 'role', CLERK_FIELD_LIMITS.role);
  const prefixed = role ? (role.startsWith('org:') ? role : `org:${role}`) : 'org:member';
  if (prefixed.length > CLERK_FIELD_LIMITS.role) throw new InvalidClerkPayloadError(`"role" is longer than ${CLERK_FIELD_LIMITS.role} characters`);
  return prefixed;
}

function requireObject<T>(json: T | null | undefined, what: string): T {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new InvalidClerkPayloadError(`not a Clerk ${what}`);
  return json;
}

function requireId(json: { id?: unknown } | null | undefined, prefix: string, what: string): string {
  return requiredClerkId(requireObject(json, what).id, prefix, what);
}

/** Columns from Clerk's organization JSON; fields absent from the payload are left out (kept). */
export function mapClerkOrganization(json: ClerkOrganizationJson) {
  const clerkId = requireId(json, 'org_', 'organization');
  const mapped: Record<string, unknown> = { clerkId, clerkUpdatedAt: optionalMillis(json.updated_at, 'updated_at') };
  if ('name' in json) mapped.name = optionalText(json.name, 'name', CLERK_FIELD_LIMITS.name);
  if ('slug' in json) mapped.slug = optionalString(json.slug, 'slug', CLERK_FIELD_LIMITS.name) || null;
  if ('image_url' in json) mapped.imageUrl = optionalText(json.image_url, 'image_url', CLERK_FIELD_LIMITS.url);
  if ('public_metadata' in json) mapped.publicMetadata = optionalJsonObject(json.public_metadata, 'public_metadata');
  if ('private_metadata' in json) mapped.privateMetadata = optionalJsonObject(json.private_metadata, 'private_metadata');
  const maxAllowed = optionalInteger(json.max_allowed_memberships, 'max_allowed_memberships');
  if (maxAllowed !== null) mapped.maxAllowedMemberships = maxAllowed;
  return mapped;
}

/** The columns of a user known only from a membership's `public_user_data` (a minimal row, filled in by `user.*` events). */
export function mapClerkPublicUserData(json: ClerkPublicUserDataJson) {
  const data = requireObject(json, 'membership user (public_user_data)');
  return {
    clerkId: requiredClerkId(data.user_id, 'user_', 'user'),
    firstName: optionalText(data.first_name, 'public_user_data.first_name', CLERK_FIELD_LIMITS.name),
    lastName: optionalText(data.last_name, 'public_user_data.last_name', CLERK_FIELD_LIMITS.name),
    imageUrl: optionalText(data.image_url, 'public_user_data.image_url', CLERK_FIELD_LIMITS.url),
  };
}

/** Columns from Clerk's membership JSON (role always `org:`-prefixed); the nested organization and user are checked too. */
export function mapClerkMembership(json: ClerkOrganizationMembershipJson) {
  const clerkMembershipId = requireId(json, 'orgmem_', 'organization membership');
  const organization = mapClerkOrganization(requireObject(json.organization, 'organization'));
  const user = mapClerkPublicUserData(json.public_user_data);
  const permissions = optionalArray(json.permissions, 'permissions').filter((p): p is string => typeof p === 'string');
  return {
    clerkMembershipId,
    clerkOrganizationId: organization.clerkId as string,
    clerkUserId: user.clerkId,
    role: withOrgPrefix(json.role),
    permissions: permissions.map((permission) => optionalText(permission, 'permissions', CLERK_FIELD_LIMITS.role)),
    publicMetadata: optionalJsonObject(json.public_metadata, 'public_metadata'),
    privateMetadata: optionalJsonObject(json.private_metadata, 'private_metadata'),
    joinedAt: optionalMillis(json.created_at, 'created_at'),
    clerkUpdatedAt: optionalMillis(json.updated_at, 'updated_at'),
  };
}

const STATUSES = new Set<ClerkInvitationStatus>(['pending', 'accepted', 'revoked', 'expired']);

/**
 * Columns from Clerk's invitation JSON; `status` wins over the payload's when the event names it.
 * `acceptedClerkUserId` is the payload's `user_id` (a `user_…` id) on an accepted invitation, else null.
 */
export function mapClerkInvitation(json: ClerkOrganizationInvitationJson, status?: ClerkInvitationStatus) {
  const clerkInvitationId = requireId(json, 'orginv_', 'organization invitation');
  const statusText = optionalString(json.status, 'status', CLERK_FIELD_LIMITS.id);
  const payloadStatus = statusText && STATUSES.has(statusText as ClerkInvitationStatus) ? (statusText as ClerkInvitationStatus) : 'pending';
  const resolvedStatus = status ?? payloadStatus;
  const userId = optionalString(json.user_id, 'user_id', CLERK_FIELD_LIMITS.id);
  return {
    clerkInvitationId,
    clerkOrganizationId: requiredClerkId(json.organization_id, 'org_', 'organization'),
    emailAddress: optionalText(json.email_address, 'email_address', CLERK_FIELD_LIMITS.email).trim().toLowerCase(),
    role: withOrgPrefix(json.role),
    status: resolvedStatus,
    inviterClerkUserId: optionalString(json.inviter_user_id, 'inviter_user_id', CLERK_FIELD_LIMITS.id),
    acceptedClerkUserId: resolvedStatus === 'accepted' && userId?.startsWith('user_') ? userId : null,
    clerkUpdatedAt: optionalMillis(json.updated_at, 'updated_at'),
  };
}
