/** A Backend API call that did not answer within `apiTimeoutMs`. Like a network failure, it has no `status`. */
export class ClerkApiTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Clerk Backend API did not answer within ${timeoutMs} ms`);
    this.name = 'ClerkApiTimeoutError';
  }
}

/**
 * Settles like `pending`, or rejects with {@link ClerkApiTimeoutError} once `timeoutMs` has passed.
 * The late outcome of `pending` is observed and dropped (never an unhandled rejection).
 */
export function withDeadline<T>(pending: PromiseLike<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ClerkApiTimeoutError(timeoutMs)), timeoutMs);
    Promise.resolve(pending).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
