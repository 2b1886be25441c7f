import { InvalidClerkPayloadError } from '../common/invalid-clerk-payload.error.js';
import type { ClerkInvitationStatus } from './abstract-clerk-organization-invitation.entity.js';
import type { ClerkOrganizationInvitationJson, ClerkOrganizationJson, ClerkOrganizationMembershipJson } from './clerk-organization-json.interface.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const object = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const date = (value: unknown): Date | null => (typeof value === 'number' && Number.isFinite(value) ? new Date(value) : null);
const withOrgPrefix = (role: unknown): string => (typeof role === 'string' && role ? (role.startsWith('org:') ? role : `org:${role}`) : 'org:member');

function requireId(json: { id?: unknown } | null | undefined, prefix: string, what: string): string {
  if (!json || typeof json.id !== 'string' || !json.id.startsWith(prefix)) throw new InvalidClerkPayloadError(`not a Clerk ${what} (missing "id" ${prefix}…)`);
  return json.id;
}

/** Columns from Clerk's organization JSON; fields absent from the payload are left out (kept). */
export function mapClerkOrganization(json: ClerkOrganizationJson) {
  const clerkId = requireId(json, 'org_', 'organization');
  const mapped: Record<string, unknown> = { clerkId, clerkUpdatedAt: date(json.updated_at) };
  if ('name' in json) mapped.name = text(json.name);
  if ('slug' in json) mapped.slug = typeof json.slug === 'string' && json.slug ? json.slug : null;
  if ('image_url' in json) mapped.imageUrl = text(json.image_url);
  if ('public_metadata' in json) mapped.publicMetadata = object(json.public_metadata);
  if ('private_metadata' in json) mapped.privateMetadata = object(json.private_metadata);
  if (typeof json.max_allowed_memberships === 'number') mapped.maxAllowedMemberships = json.max_allowed_memberships;
  return mapped;
}

/** Columns from Clerk's membership JSON (role always `org:`-prefixed). */
export function mapClerkMembership(json: ClerkOrganizationMembershipJson) {
  return {
    clerkMembershipId: requireId(json, 'orgmem_', 'organization membership'),
    clerkOrganizationId: requireId(json.organization, 'org_', 'organization'),
    clerkUserId: requireId({ id: json.public_user_data?.user_id }, 'user_', 'user'),
    role: withOrgPrefix(json.role),
    permissions: Array.isArray(json.permissions) ? json.permissions.filter((p): p is string => typeof p === 'string') : [],
    publicMetadata: object(json.public_metadata),
    privateMetadata: object(json.private_metadata),
    joinedAt: date(json.created_at),
    clerkUpdatedAt: date(json.updated_at),
  };
}

const STATUSES = new Set<ClerkInvitationStatus>(['pending', 'accepted', 'revoked', 'expired']);

/**
 * Columns from Clerk's invitation JSON; `status` wins over the payload's when the event names it.
 * `acceptedClerkUserId` is the payload's `user_id` (a `user_…` id) on an accepted invitation, else null.
 */
export function mapClerkInvitation(json: ClerkOrganizationInvitationJson, status?: ClerkInvitationStatus) {
  const payloadStatus = typeof json.status === 'string' && STATUSES.has(json.status as ClerkInvitationStatus) ? (json.status as ClerkInvitationStatus) : 'pending';
  const resolvedStatus = status ?? payloadStatus;
  const acceptedBy = resolvedStatus === 'accepted' && typeof json.user_id === 'string' && json.user_id.startsWith('user_') ? json.user_id : null;
  return {
    clerkInvitationId: requireId(json, 'orginv_', 'organization invitation'),
    clerkOrganizationId: requireId({ id: json.organization_id }, 'org_', 'organization'),
    emailAddress: text(json.email_address).trim().toLowerCase(),
    role: withOrgPrefix(json.role),
    status: resolvedStatus,
    inviterClerkUserId: typeof json.inviter_user_id === 'string' ? json.inviter_user_id : null,
    acceptedClerkUserId: acceptedBy,
    clerkUpdatedAt: date(json.updated_at),
  };
}
