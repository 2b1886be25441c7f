/** Clerk's organization JSON (Backend API and `organization.*` webhooks). */
export interface ClerkOrganizationJson {
  id: string;
  object?: string;
  name?: string | null;
  slug?: string | null;
  image_url?: string | null;
  members_count?: number | null;
  pending_invitations_count?: number | null;
  max_allowed_memberships?: number | null;
  public_metadata?: Record<string, unknown> | null;
  private_metadata?: Record<string, unknown> | null;
  created_at?: number;
  updated_at?: number;
  [key: string]: unknown;
}

/** The `public_user_data` of a membership. */
export interface ClerkPublicUserDataJson {
  user_id: string;
  first_name?: string | null;
  last_name?: string | null;
  image_url?: string | null;
  identifier?: string | null;
  [key: string]: unknown;
}

/** Clerk's organization membership JSON (`organizationMembership.*` webhooks, membership lists). */
export interface ClerkOrganizationMembershipJson {
  id: string;
  object?: string;
  role?: string | null;
  permissions?: string[] | null;
  public_metadata?: Record<string, unknown> | null;
  private_metadata?: Record<string, unknown> | null;
  organization: ClerkOrganizationJson;
  public_user_data: ClerkPublicUserDataJson;
  created_at?: number;
  updated_at?: number;
  [key: string]: unknown;
}

/** Clerk's organization invitation JSON (`organizationInvitation.*` webhooks). */
export interface ClerkOrganizationInvitationJson {
  id: string;
  object?: string;
  email_address: string;
  role?: string | null;
  status?: string | null;
  organization_id?: string | null;
  inviter_user_id?: string | null;
  /** The accepting user; only `organizationInvitation.accepted` carries it. */
  user_id?: string | null;
  public_metadata?: Record<string, unknown> | null;
  created_at?: number;
  updated_at?: number;
  [key: string]: unknown;
}
