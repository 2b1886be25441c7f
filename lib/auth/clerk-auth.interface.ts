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

/**
 * Clerk's `act` claim: the session is an impersonation (Clerk dashboard → Users → Impersonate user,
 * or an actor token), `sub` being who acts (a `user_…` of your instance's dashboard or app).
 */
export interface ClerkActor {
  /** Who impersonates. */
  sub: string;
  [claim: string]: unknown;
}

/** What a verified session token says; available as `request.auth`. */
export interface ClerkRequestAuth {
  /** Discriminates `request.auth`: always `session_token` here (see {@link ClerkMachineAuth}). */
  tokenType: 'session_token';
  /** Who verified the credential: Clerk (see {@link ClerkLocalAuth} for password logins). */
  method: 'clerk';
  userId: string;
  sessionId: string;
  /** `sts`: `active`, or `pending` while the user still has a session task (see `@AllowPendingSession()`). */
  sessionStatus: string | null;
  /** `act`: who impersonates the user, `null` for the user's own session (see `@DenyImpersonation()`). */
  actor: ClerkActor | null;
  orgId: string | null;
  orgRole: string | null;
  orgSlug: string | null;
  orgPermissions: string[];
  /** `fva`: minutes since the first and the second factor were verified (`-1`: never in this session); see `@RequireReverification()`. */
  factorVerificationAge: [number, number] | null;
  claims: ClerkSessionClaims;
  /** Token expiry, epoch milliseconds. */
  expiresAt: number;
}

import type { ClerkMachineTokenType } from '../options/token-types.js';

export type { ClerkMachineTokenType, ClerkTokenType } from '../options/token-types.js';

/** What a verified machine token (M2M token, API key, OAuth access token) says; `request.auth` of a machine caller. */
export interface ClerkMachineAuth {
  tokenType: ClerkMachineTokenType;
  /** Who verified the credential (Clerk), so `request.auth.method` reads on every kind of `request.auth`. */
  method: 'clerk';
  /** Id of the token (`mt_…`, `ak_…`, `oat_…`; the `jti` of a JWT-format token). */
  id: string;
  /** Who the token stands for: `mch_…` (M2M), `user_…` or `org_…` (API key), `user_…` (OAuth). */
  subject: string;
  /** Name of an API key; `null` for other kinds. */
  name: string | null;
  scopes: string[];
  /** Custom claims of an M2M token or API key; `null` when none. */
  claims: Record<string, unknown> | null;
  /** The machine of an M2M token. */
  machineId: string | null;
  /** The user an API key belongs to, or the user an OAuth token acts for. */
  userId: string | null;
  /** The organization an API key belongs to. */
  orgId: string | null;
  /** The OAuth application of an OAuth token. */
  clientId: string | null;
  /** Token expiry, epoch milliseconds; `null` when the token never expires. */
  expiresAt: number | null;
}

/**
 * `request.auth` of a local (staff) account signed in with a password (option `localAuth`): no
 * Clerk identity, no token, no organization. Same keys as {@link ClerkRequestAuth}, Clerk ones `null`.
 */
export interface ClerkLocalAuth {
  method: 'local';
  tokenType: null;
  userId: null;
  /** Primary key of the local row. */
  localUserId: string;
  sessionId: null;
  sessionStatus: null;
  actor: null;
  orgId: null;
  orgRole: null;
  orgSlug: null;
  orgPermissions: string[];
  factorVerificationAge: null;
  claims: null;
  /** When the password was checked, epoch milliseconds. */
  authenticatedAt: number;
  /** When the login ends at the latest (`localAuth.sessionMaxAgeSeconds`), epoch milliseconds. */
  expiresAt: number;
}

/**
 * `request.auth`: a session (`tokenType: 'session_token'`), a machine caller, or a password login
 * (`method: 'local'`, `tokenType: null`); narrow on `tokenType` or `method`.
 */
export type ClerkAuth = ClerkRequestAuth | ClerkMachineAuth | ClerkLocalAuth;
