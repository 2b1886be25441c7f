import { ServiceUnavailableException } from '@nestjs/common';
import { DEFAULT_RETRY_AFTER_SECONDS } from './clerk-client.constants.js';
import { ClerkApiTimeoutError } from './clerk-api-deadline.js';

/** Clerk's word on when to come back (a 429's or 503's `Retry-After`, in seconds), if it gave one. */
export function clerkRetryAfterSeconds(error: unknown): number | undefined {
  const seconds = (error as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** A status for logs: the HTTP status Clerk answered, `timeout`, or `unreachable`. Never a key. */
export function describeClerkApiFailure(error: unknown): string {
  if (error instanceof ClerkApiTimeoutError) return `no answer within ${error.timeoutMs} ms`;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? `status ${status}` : 'unreachable';
}

/**
 * A request could not be served because the Clerk Backend API timed out or failed (the first request
 * of a new user needs its Clerk record): 503, with `Retry-After` set by `ClerkApiUnavailableFilter`.
 */
export class ClerkApiUnavailableException extends ServiceUnavailableException {
  /** Seconds the client should wait before retrying (the `Retry-After` header). */
  readonly retryAfterSeconds: number;

  constructor(cause?: unknown) {
    super('Authentication is temporarily unavailable; retry later');
    const retryAfter = clerkRetryAfterSeconds(cause);
    this.retryAfterSeconds = retryAfter === undefined ? DEFAULT_RETRY_AFTER_SECONDS : Math.ceil(retryAfter);
  }
}
