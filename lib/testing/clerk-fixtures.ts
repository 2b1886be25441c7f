import { randomBytes } from 'node:crypto';
import type { ClerkEmailAddressJson, ClerkUserJson } from '../users/clerk-user-json.interface.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Clerk ids are a prefix plus 27 base62 characters (`user_2g7np7Hrk0SN6kj5EDMLDaKNL0S`).
const CLERK_ID_LENGTH = 27;
// Clerk serves a generated avatar even when nothing was uploaded; `has_image` tells them apart.
const DEFAULT_IMAGE_URL = 'https://img.clerk.com/fake-default-avatar';

/** Options for {@link buildClerkUser}; every field is optional and camelCase. */
export interface ClerkUserFixtureInput {
  id?: string;
  /** `null` builds a user without any email address (phone or web3 sign-up). */
  email?: string | null;
  emailVerified?: boolean;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  imageUrl?: string;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  banned?: boolean;
  locked?: boolean;
  createdAt?: number;
  updatedAt?: number;
  lastSignInAt?: number | null;
  /** Raw wire keys merged last, to add or override anything. */
  extra?: Record<string, unknown>;
}

/** Clerk's organization JSON (snake_case), as served by the Backend API and `organization.*` webhooks. */
export interface ClerkOrganizationJson {
  object: 'organization';
  id: string;
  name: string;
  slug: string;
  image_url: string;
  has_image: boolean;
  members_count: number;
  missing_member_with_elevated_permissions: boolean;
  pending_invitations_count: number;
  max_allowed_memberships: number;
  admin_delete_enabled: boolean;
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  [key: string]: unknown;
}

/** Options for {@link buildClerkOrganization}; every field is optional and camelCase. */
export interface ClerkOrganizationFixtureInput {
  id?: string;
  name?: string;
  /** Defaults to a slug derived from `name`. */
  slug?: string;
  imageUrl?: string;
  hasImage?: boolean;
  membersCount?: number;
  missingMemberWithElevatedPermissions?: boolean;
  pendingInvitationsCount?: number;
  maxAllowedMemberships?: number;
  adminDeleteEnabled?: boolean;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  createdBy?: string | null;
  createdAt?: number;
  updatedAt?: number;
  /** Raw wire keys merged last, to add or override anything. */
  extra?: Record<string, unknown>;
}

/** The `public_user_data` block that Clerk embeds in an organization membership. */
export interface ClerkPublicUserDataJson {
  user_id: string;
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  identifier: string | null;
  profile_image_url: string;
  [key: string]: unknown;
}

/** Clerk's organization membership JSON, as served by the Backend API and `organizationMembership.*` webhooks. */
export interface ClerkOrganizationMembershipJson {
  object: 'organization_membership';
  id: string;
  role: string;
  role_name: string;
  permissions: string[];
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  organization: ClerkOrganizationJson;
  public_user_data: ClerkPublicUserDataJson;
  created_at: number;
  updated_at: number;
  [key: string]: unknown;
}

/** Options for {@link buildClerkMembership}: the organization and user it links, plus optional details. */
export interface ClerkMembershipFixtureInput {
  organization: ClerkOrganizationJson;
  user: ClerkUserJson;
  /** Defaults to `org:member`; Clerk roles carry the `org:` prefix. */
  role?: string;
  /** Defaults to none, so tests state the permissions they rely on. */
  permissions?: string[];
  id?: string;
  createdAt?: number;
  updatedAt?: number;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
}

/** A Clerk-style id: `prefix_` followed by 27 random base62 characters. */
export function generateClerkId(prefix: string): string {
  let suffix = '';
  while (suffix.length < CLERK_ID_LENGTH) {
    for (const byte of randomBytes(CLERK_ID_LENGTH)) {
      // Bytes >= 248 are skipped so every character is equally likely (248 = 4 × 62).
      if (byte < 248 && suffix.length < CLERK_ID_LENGTH) suffix += BASE62[byte % 62];
    }
  }
  return `${prefix}_${suffix}`;
}

/** A complete Clerk user JSON with every key the real API and `user.*` webhooks carry. */
export function buildClerkUser(input: ClerkUserFixtureInput = {}): ClerkUserJson {
  const id = input.id ?? generateClerkId('user');
  const createdAt = input.createdAt ?? Date.now();
  const updatedAt = input.updatedAt ?? createdAt;
  const lastSignInAt = input.lastSignInAt ?? null;
  const email = input.email === undefined ? defaultEmailFor(id) : input.email;
  const emailAddresses = email === null ? [] : [buildEmailAddress(email, input.emailVerified ?? true, createdAt)];
  const imageUrl = input.imageUrl ?? DEFAULT_IMAGE_URL;
  const locked = input.locked ?? false;
  return {
    object: 'user',
    id,
    external_id: null,
    primary_email_address_id: emailAddresses[0]?.id ?? null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    username: input.username ?? null,
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    locale: null,
    profile_image_url: imageUrl,
    image_url: imageUrl,
    has_image: input.imageUrl !== undefined && input.imageUrl !== '',
    public_metadata: input.publicMetadata ?? {},
    private_metadata: input.privateMetadata ?? {},
    unsafe_metadata: {},
    email_addresses: emailAddresses,
    phone_numbers: [],
    web3_wallets: [],
    passkeys: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    password_last_updated_at: null,
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    last_sign_in_at: lastSignInAt,
    banned: input.banned ?? false,
    locked,
    deprovisioned: false,
    // Clerk's default lockout lasts 30 minutes; the value is only present while locked.
    lockout_expires_in_seconds: locked ? 1800 : null,
    verification_attempts_remaining: 100,
    created_at: createdAt,
    updated_at: updatedAt,
    last_active_at: lastSignInAt,
    legal_accepted_at: null,
    delete_self_enabled: true,
    create_organization_enabled: true,
    create_organizations_limit: null,
    ...input.extra,
  };
}

/** A complete Clerk organization JSON, as in `organization.created` and `GET /v1/organizations/:id`. */
export function buildClerkOrganization(input: ClerkOrganizationFixtureInput = {}): ClerkOrganizationJson {
  const id = input.id ?? generateClerkId('org');
  const name = input.name ?? `Organization ${id.slice(-6)}`;
  const createdAt = input.createdAt ?? Date.now();
  return {
    object: 'organization',
    id,
    name,
    slug: input.slug ?? slugify(name),
    image_url: input.imageUrl ?? DEFAULT_IMAGE_URL,
    has_image: input.hasImage ?? (input.imageUrl !== undefined && input.imageUrl !== ''),
    members_count: input.membersCount ?? 0,
    missing_member_with_elevated_permissions: input.missingMemberWithElevatedPermissions ?? false,
    pending_invitations_count: input.pendingInvitationsCount ?? 0,
    max_allowed_memberships: input.maxAllowedMemberships ?? 5,
    admin_delete_enabled: input.adminDeleteEnabled ?? true,
    public_metadata: input.publicMetadata ?? {},
    private_metadata: input.privateMetadata ?? {},
    created_by: input.createdBy ?? null,
    created_at: createdAt,
    updated_at: input.updatedAt ?? createdAt,
    ...input.extra,
  };
}

/** A complete Clerk organization membership JSON, with the nested `organization` and `public_user_data`. */
export function buildClerkMembership(input: ClerkMembershipFixtureInput): ClerkOrganizationMembershipJson {
  const role = input.role ?? 'org:member';
  const createdAt = input.createdAt ?? Date.now();
  return {
    object: 'organization_membership',
    id: input.id ?? generateClerkId('orgmem'),
    role,
    role_name: roleName(role),
    permissions: [...(input.permissions ?? [])],
    public_metadata: input.publicMetadata ?? {},
    private_metadata: input.privateMetadata ?? {},
    organization: input.organization,
    public_user_data: buildPublicUserData(input.user),
    created_at: createdAt,
    updated_at: input.updatedAt ?? createdAt,
  };
}

function buildEmailAddress(email: string, verified: boolean, createdAt: number): ClerkEmailAddressJson {
  return {
    id: generateClerkId('idn'),
    object: 'email_address',
    email_address: email,
    reserved: false,
    verification: {
      object: 'verification_otp',
      status: verified ? 'verified' : 'unverified',
      strategy: 'email_code',
      attempts: 1,
      expire_at: null,
    },
    // @clerk/backend calls `.map()` on linked_to, so it must always be an array.
    linked_to: [],
    matches_sso_connection: false,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

function buildPublicUserData(user: ClerkUserJson): ClerkPublicUserDataJson {
  const imageUrl = typeof user.image_url === 'string' ? user.image_url : '';
  return {
    user_id: user.id,
    first_name: user.first_name ?? null,
    last_name: user.last_name ?? null,
    image_url: imageUrl,
    has_image: user.has_image === true,
    identifier: primaryEmailOf(user) ?? user.username ?? null,
    profile_image_url: imageUrl,
  };
}

/** The address named by `primary_email_address_id`, which is not necessarily the first one. */
function primaryEmailOf(user: ClerkUserJson): string | undefined {
  return user.email_addresses?.find((address) => address.id === user.primary_email_address_id)?.email_address;
}

// Lower-cased so the default survives the email normalisation the module applies.
function defaultEmailFor(userId: string): string {
  return `${userId.toLowerCase()}@example.com`;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

// Clerk shows `org:admin` as "Admin"; custom roles get the same treatment.
function roleName(role: string): string {
  const key = role.startsWith('org:') ? role.slice(4) : role;
  return key
    .split(/[_-]/)
    .filter((word) => word !== '')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}
