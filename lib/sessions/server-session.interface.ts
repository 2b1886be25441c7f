import type { ClerkRequestAuth } from '../auth/clerk-auth.interface.js';

/**
 * What express-session's and @fastify/session's session objects both offer: data as own properties,
 * `regenerate` and `destroy` with a callback.
 */
export interface ServerSessionLike {
  regenerate(callback: (error?: unknown) => void): unknown;
  destroy(callback: (error?: unknown) => void): unknown;
  [key: string]: unknown;
}

/** The Clerk part of a server session, written after a verified `__session` cookie token. */
export interface ClerkServerSessionState {
  method: 'clerk';
  clerkUserId: string;
  sessionId: string;
  orgId: string | null;
  /** When a Clerk session token of this session was last verified, epoch milliseconds. */
  lastClerkCheck: number;
  /** SHA-256 prefix of that token: a different cookie token is verified at once, so the org follows the newest one. */
  tokenDigest: string;
  /** `request.auth` as the newest verified token gave it. */
  auth: ClerkRequestAuth;
  /**
   * Present while the session is new: it lives a short time only (see `firstLifetimeMs`) until a
   * token of it is verified again; then the cookie gets back the lifetime the app configured.
   */
  unconfirmed?: { cookieMaxAgeMs: number | null };
}

/** What express-session's and @fastify/session's stores both offer (`request.sessionStore`). */
export interface ServerSessionStoreLike {
  get(id: string, callback: (error: unknown, session?: Record<string, unknown> | null) => void): unknown;
  destroy(id: string, callback: (error?: unknown) => void): unknown;
}

/** A password login of a local (staff) account. */
export interface LocalServerSessionState {
  method: 'local';
  /** Primary key of the local row. */
  userId: string;
  /** When the password was checked, epoch milliseconds. */
  authenticatedAt: number;
  /** Digest of the stored password hash at login: a password change ends the session. */
  credentialDigest: string;
}

/** What the module keeps under `CLERK_SERVER_SESSION_KEY`. */
export type ServerSessionState = ClerkServerSessionState | LocalServerSessionState;
