import { withClerkRetry, type RetryPolicy } from '../sync/clerk-api-retry.js';
import { ClerkApiError, type ClerkAccountOperation } from './clerk-api.error.js';

/**
 * How a call may be repeated. `idempotent` calls (reads, merges, ban/lock) are retried on 429 (after
 * `Retry-After`), 5xx, network errors and timeouts; `once` calls (creating a user, a token, an
 * invitation; deleting) only on 429, which Clerk answers before doing anything: repeating one whose
 * first attempt may have gone through could create a second token or invitation.
 */
export type ClerkCallRetry = 'idempotent' | 'once';

/**
 * An app request waits on these calls, so fewer and shorter waits than the sync commands' default
 * (6 attempts, up to 30 s each): at most 3 retries, none longer than 10 s.
 */
export const ACCOUNTS_RETRY_POLICY: RetryPolicy = { attempts: 4, maxDelayMs: 10_000 };

const statusOf = (error: unknown): unknown => (error as { status?: unknown } | null)?.status;

/** A failure `withClerkRetry` must not repeat, settled as a value so it passes through unretried. */
class Refused {
  constructor(readonly error: unknown) {}
}

/**
 * Runs one Backend API call of `operation` through the module's 429 handling (`withClerkRetry`, each
 * attempt bounded by the client's `apiTimeoutMs`), turning what fails into a {@link ClerkApiError}.
 */
export async function callClerk<R>(operation: ClerkAccountOperation, call: () => Promise<R>, retry: ClerkCallRetry, policy: RetryPolicy = ACCOUNTS_RETRY_POLICY): Promise<R> {
  try {
    if (retry === 'idempotent') return await withClerkRetry(call, policy);
    const outcome = await withClerkRetry<R | Refused>(
      () => call().catch((error: unknown) => (statusOf(error) === 429 ? Promise.reject(error) : new Refused(error))),
      policy,
    );
    if (outcome instanceof Refused) throw outcome.error;
    return outcome;
  } catch (error) {
    throw new ClerkApiError(operation, error);
  }
}
