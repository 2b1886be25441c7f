import { isClerkAPIResponseError } from '@clerk/shared/error';
import { ClerkApiTimeoutError } from '../clerk-client/clerk-api-deadline.js';

/** The `ClerkAccountsService` call a {@link ClerkApiError} comes from (what Clerk was asked to do). */
export type ClerkAccountOperation =
  | 'createUser'
  | 'findClerkUserByEmail'
  | 'createSignInLink'
  | 'inviteUser'
  | 'revokeInvitation'
  | 'inviteToOrganization'
  | 'revokeOrganizationInvitation'
  | 'revokeAllSessions'
  | 'updateMetadata'
  | 'updateUser'
  | 'ban'
  | 'unban'
  | 'lock'
  | 'unlock'
  | 'deleteUser';

/** One error Clerk reported, as `@clerk/backend` gives it. */
export interface ClerkApiErrorDetail {
  code: string;
  message: string;
  longMessage?: string;
  /** `meta.param_name` and the like, camel-cased by `@clerk/backend` (`paramName`). */
  meta?: Record<string, unknown>;
}

/**
 * The Clerk Backend API refused or failed a `ClerkAccountsService` call; nothing local was written.
 * `status` is Clerk's HTTP status (`null` when Clerk did not answer: network failure or `apiTimeoutMs`),
 * `code` Clerk's first error code (`form_identifier_exists`, `resource_not_found`, `too_many_requests`, …).
 */
export class ClerkApiError extends Error {
  readonly status: number | null;
  readonly code: string | null;
  /** Every error of Clerk's answer (the first one gives `code`). */
  readonly errors: ClerkApiErrorDetail[];
  /** Seconds Clerk asked to wait (`Retry-After` of a 429), if it said. */
  readonly retryAfterSeconds: number | undefined;
  /** Clerk's trace id of the failed request, for its support. */
  readonly clerkTraceId: string | undefined;

  constructor(
    readonly operation: ClerkAccountOperation,
    cause: unknown,
  ) {
    const details = describe(cause);
    super(`Clerk refused ${operation}: ${details.summary}`, { cause });
    this.name = 'ClerkApiError';
    this.status = details.status;
    this.code = details.errors[0]?.code ?? null;
    this.errors = details.errors;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.clerkTraceId = details.clerkTraceId;
  }

  /** `meta.param_name` of Clerk's first error: which parameter it refused (`email_address`, `username`, …). */
  get paramName(): string | undefined {
    const name = this.errors[0]?.meta?.paramName;
    return typeof name === 'string' ? name : undefined;
  }
}

interface Described {
  status: number | null;
  errors: ClerkApiErrorDetail[];
  retryAfterSeconds: number | undefined;
  clerkTraceId: string | undefined;
  summary: string;
}

function describe(cause: unknown): Described {
  if (cause instanceof ClerkApiTimeoutError) {
    return { status: null, errors: [], retryAfterSeconds: undefined, clerkTraceId: undefined, summary: cause.message };
  }
  if (isClerkAPIResponseError(cause)) {
    const errors = cause.errors.map((error) => ({ code: error.code, message: error.message, longMessage: error.longMessage, meta: { ...error.meta } }));
    // @clerk/backend reports a network failure as status 0 (or none) with code `unexpected_error`.
    const status = typeof cause.status === 'number' && cause.status > 0 ? cause.status : null;
    const first = errors[0];
    const summary = status === null ? `no answer from the Backend API (${first?.message ?? 'network failure'})` : `${status}${first ? ` ${first.code}: ${first.longMessage ?? first.message}` : ''}`;
    return { status, errors, retryAfterSeconds: cause.retryAfter, clerkTraceId: cause.clerkTraceId, summary };
  }
  return { status: null, errors: [], retryAfterSeconds: undefined, clerkTraceId: undefined, summary: cause instanceof Error ? cause.message : String(cause) };
}
