import type { AbstractClerkUser } from '../../users/abstract-clerk-user.entity.js';
import type { ClerkAuth } from '../clerk-auth.interface.js';
import type { ClerkAuthenticatedRequest } from '../clerk-request.interface.js';

/** How a source hears the pipeline's verdict on its credential (a server session records or clears its state). */
export interface ClerkCredentialSettlement {
  /** The pipeline accepted the credential; runs before the request state is written. */
  accepted?(): Promise<void> | void;
  /** The pipeline refused it (revoked, unknown or inactive user). */
  refused?(): void;
}

/** A verified credential: what a source hands to the pipeline, once, never calling back. */
export interface ClerkCredential<T extends AbstractClerkUser = AbstractClerkUser> {
  auth: ClerkAuth;
  /** Where it came from, for the refusal log: `header`, `cookie`, `server session`. Never the token. */
  carrier: string;
  /** A password login already knows its local user; Clerk credentials leave it to the user resolver. */
  user?: T;
  settlement?: ClerkCredentialSettlement;
}

/** The raw credentials of one request, read once by the pipeline before any source runs. */
export interface ClerkCredentialInput {
  /** The stateless token (`ClerkAuthGuard.extractCredential`; default `Authorization: Bearer`). */
  bearer: string | null;
  /** Clerk's session cookie (`__session_<suffix>`, else `__session`); read only when there is no bearer token. */
  cookie: string | null;
}

/**
 * One place credentials come from (bearer header, server session, cookie). `read` returns a verified
 * credential, or `null` when it has nothing for this request (the next source is asked); it refuses
 * by throwing `ClerkTokenRejectedError` (a 401) or an HTTP exception (a CSRF 403). Sources never call
 * the pipeline back and never write request state.
 */
export interface ClerkCredentialSource<T extends AbstractClerkUser = AbstractClerkUser> {
  /** Names the source in refusal logs (`header`, `cookie`, `server session`). */
  readonly carrier: string;
  /** Whether the request carries something this source would read (cheap; for `@Public()` routes). */
  present(request: ClerkAuthenticatedRequest<T>, input: ClerkCredentialInput): boolean;
  read(request: ClerkAuthenticatedRequest<T>, input: ClerkCredentialInput): Promise<ClerkCredential<T> | null>;
}
