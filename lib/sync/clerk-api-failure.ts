import { withClerkRetry, type RetryPolicy } from './clerk-api-retry.js';
import { SyncUsageError } from './sync-report.js';

const PROBE_TIMEOUT_MS = 10_000;

/** The Backend API refused the secret key (401) or what it may do (403): no page can succeed, so a sync stops (exit 2). */
export class ClerkApiAuthError extends SyncUsageError {
  constructor(readonly status: 401 | 403, code: string | undefined) {
    super(
      status === 401
        ? `the Clerk Backend API refused the secret key (401${code ? ` ${code}` : ''}): check that CLERK_SECRET_KEY (option "secretKey") is the current secret key of this Clerk instance`
        : `the Clerk Backend API refused access (403${code ? ` ${code}` : ''}): the secret key is valid but may not do this; check the instance's API key permissions`,
    );
    this.name = 'ClerkApiAuthError';
  }
}

/** No HTTP answer from the Backend API after every retry (refused, DNS, TLS, `apiTimeoutMs`); the message holds the reason. */
export class ClerkApiUnreachableError extends Error {
  constructor(origin: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot reach the Clerk Backend API at ${origin}: ${reason}`, options);
    this.name = 'ClerkApiUnreachableError';
  }
}

/** Failures after which no other page of a sync can succeed: the run stops instead of failing page by page. */
export const isFatalClerkApiFailure = (error: unknown): boolean => error instanceof ClerkApiAuthError || error instanceof ClerkApiUnreachableError;

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : null;
}

function clerkErrorCode(error: unknown): string | undefined {
  const code = (error as { errors?: Array<{ code?: unknown }> })?.errors?.[0]?.code;
  return typeof code === 'string' && /^[a-z_]+$/.test(code) ? code : undefined;
}

/**
 * The reason a network call failed, from its `cause` chain: Node's fetch says only "fetch failed"
 * and keeps `connect ECONNREFUSED 127.0.0.1:3000`, `getaddrinfo ENOTFOUND …` or a timeout below it.
 */
export function networkReason(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 8; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, name, message, timeoutMs } = current as { code?: unknown; name?: unknown; message?: unknown; timeoutMs?: unknown };
    if (name === 'ClerkApiTimeoutError' && typeof timeoutMs === 'number') return `no answer within ${timeoutMs} ms (option "apiTimeoutMs")`;
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${PROBE_TIMEOUT_MS / 1000} s (timeout)`;
    // System codes only (ECONNREFUSED, ENOTFOUND, UND_ERR_CONNECT_TIMEOUT, CERT_HAS_EXPIRED): Clerk's own codes are lower case.
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(code)) continue;
    const nested = current instanceof AggregateError ? current.errors.map((e: unknown) => (e as Error)?.message).filter(Boolean) : [];
    const text = [typeof message === 'string' ? message : '', ...nested].filter(Boolean).join('; ');
    return text.includes(code) ? text : `${code}${text ? ` (${text})` : ''}`;
  }
  return null;
}

/**
 * `@clerk/backend` turns a network failure into an error with no status whose only text is
 * "fetch failed", dropping the cause; asking the origin once more (no credentials sent) recovers it.
 */
async function probe(origin: string, failure: unknown): Promise<string> {
  try {
    await fetch(origin, { method: 'HEAD', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const said = (failure as { errors?: Array<{ message?: unknown }> })?.errors?.[0]?.message;
    return `a request failed without an HTTP answer${typeof said === 'string' ? ` (${said})` : ''}, but the API answers now; run the command again`;
  } catch (error) {
    return networkReason(error) ?? 'no answer';
  }
}

/** The error a failed Backend API call is reported as: authentication, unreachable (with its reason), or as it came. */
export async function explainClerkApiFailure(error: unknown, apiUrl: string): Promise<unknown> {
  const status = statusOf(error);
  if (status === 401 || status === 403) return new ClerkApiAuthError(status, clerkErrorCode(error));
  if (status !== null) return error;
  // The origin only: a URL with credentials in it must not reach a terminal or a log.
  const origin = new URL(apiUrl).origin;
  return new ClerkApiUnreachableError(origin, networkReason(error) ?? (await probe(origin, error)), { cause: error });
}

/** A Backend API call with `withClerkRetry`, its failure explained by `explainClerkApiFailure`. */
export async function callClerkApi<T>(call: () => Promise<T>, policy: RetryPolicy | undefined, apiUrl: string): Promise<T> {
  try {
    return await withClerkRetry(call, policy);
  } catch (error) {
    throw await explainClerkApiFailure(error, apiUrl);
  }
}
