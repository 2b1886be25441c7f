/** How `withClerkRetry` waits; injectable so tests and benchmarks need not sleep for real. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 6. */
  attempts?: number;
  /** First back-off for 5xx and network errors, in ms (doubles, with jitter). Default 250. */
  baseDelayMs?: number;
  /** Upper bound of one wait, in ms. Default 30 000. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; status: number | null; delayMs: number }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : null;
}

function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  // A network failure (Clerk's client reports no status) or a call past `apiTimeoutMs` (ClerkApiTimeoutError).
  if (status === null) return true;
  return status === 429 || status >= 500;
}

/**
 * Calls the Backend API, honouring `429` + `Retry-After` and retrying 5xx, network errors and
 * timeouts (each attempt is bounded by the client's `apiTimeoutMs`) with exponential back-off and
 * jitter. Other errors (4xx) are thrown at once.
 */
export async function withClerkRetry<T>(call: () => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 6;
  const base = policy.baseDelayMs ?? 250;
  const max = policy.maxDelayMs ?? 30_000;
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      const status = statusOf(error);
      const retryAfter = (error as { retryAfter?: unknown })?.retryAfter;
      const delayMs =
        status === 429 && typeof retryAfter === 'number' && retryAfter >= 0
          ? Math.min(retryAfter * 1000, max)
          : Math.min(base * 2 ** (attempt - 1) * (1 + Math.random()), max);
      policy.onRetry?.({ attempt, status, delayMs });
      await sleep(delayMs);
    }
  }
}
