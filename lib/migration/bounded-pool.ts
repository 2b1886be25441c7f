/**
 * Runs `work` for every item `next()` yields, at most `concurrency` at once, until `next()` yields
 * `undefined` or `shouldStop()` says so. The Backend API answers in tens of milliseconds, so a rate
 * limit of 100 requests/s needs several calls in flight; the bound keeps a 10,000-row run from
 * opening 10,000 sockets.
 */
export async function runBounded<T>(
  concurrency: number,
  next: () => Promise<T | undefined>,
  work: (item: T) => Promise<void>,
  shouldStop: () => boolean = () => false,
): Promise<void> {
  const worker = async () => {
    while (!shouldStop()) {
      const item = await next();
      if (item === undefined) return;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
