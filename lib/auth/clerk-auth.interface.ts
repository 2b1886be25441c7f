/** Verified claims of a Clerk session token, as decoded JSON. */
export type ClerkSessionClaims = Record<string, unknown> & { sub: string; sid: string; exp: number };

/** The active organization of a verified token. */
export interface ClerkOrgContext {
  id: string;
  slug: string | null;
  /** Role with the `org:` prefix, e.g. `org:admin`. */
  role: string | null;
  /** Permissions such as `org:posts:read`. */
  permissions: string[];
}

/** What a verified session token says; available as `request.auth`. */
export interface ClerkRequestAuth {
  userId: string;
  sessionId: string;
  sessionStatus: string | null;
  actor: Record<string, unknown> | null;
  orgId: string | null;
  orgRole: string | null;
  orgSlug: string | null;
  orgPermissions: string[];
  factorVerificationAge: [number, number] | null;
  claims: ClerkSessionClaims;
  /** Token expiry, epoch milliseconds. */
  expiresAt: number;
}
