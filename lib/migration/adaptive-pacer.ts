/** Clock and sleep of an {@link AdaptivePacer}; injectable so tests need not wait. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: () => performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

const WINDOW_MS = 1000;
/** After a 429, the pace drops to this share of what Clerk accepted in the last second. */
const BACK_OFF = 0.95;
/** Then it rises by two calls per second each second, until the next 429. */
const RISE_PER_SECOND = 2;
const MIN_SAMPLE = 10;

/**
 * Spaces Backend API calls at a pace learnt from Clerk's 429s. Without it, a pool of workers sends in
 * bursts: the limit is used up early in a second, the workers that meet it all wait out a whole
 * `Retry-After` second, and the limit goes unused while they sleep. Measured with bench:migrate (50 ms
 * a call, 100 requests/s; a shared, loaded 2-core machine): 55-62% of the limit and 72-90 429s
 * without pacing, 84-85% and 4-41 429s with it. After the first 429 the pace is set just under what
 * Clerk accepted in the last second and creeps up until the next one. Each 429 is still waited out
 * by the call that got it (`withClerkRetry`); before the first one, only the pool bounds the pace.
 * (No rate limiter is among the package's dependencies, and this one needs only a clock.)
 */
export class AdaptivePacer {
  /** Calls per second, `Infinity` until the first 429. */
  private rate = Number.POSITIVE_INFINITY;
  private nextStart = 0;
  private lastDrop = Number.NEGATIVE_INFINITY;
  private lastRise = 0;
  /** When the calls Clerk accepted in the last second were answered. */
  private readonly acceptedAt: number[] = [];

  constructor(private readonly clock: PacerClock = realClock) {}

  /** The current pace in calls per second (`Infinity`: not limited yet). */
  get callsPerSecond(): number {
    return this.rate;
  }

  /** Waits until the next call may start. */
  async slot(): Promise<void> {
    if (this.rate === Number.POSITIVE_INFINITY) return;
    const now = this.clock.now();
    if (now - this.lastRise >= WINDOW_MS) {
      this.rate += RISE_PER_SECOND * Math.floor((now - this.lastRise) / WINDOW_MS);
      this.lastRise = now;
    }
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + WINDOW_MS / this.rate;
    if (start > now) await this.clock.sleep(start - now);
  }

  /** A call Clerk accepted. */
  accepted(): void {
    const now = this.clock.now();
    this.acceptedAt.push(now);
    while (this.acceptedAt.length && this.acceptedAt[0] <= now - WINDOW_MS) this.acceptedAt.shift();
  }

  /**
   * A 429: the pace drops below what Clerk accepted in the last second, once per second whatever the
   * number of 429s. Fewer than `MIN_SAMPLE` calls in that second say nothing about the limit (a
   * 429 at the start, a limit of a few calls a second): the pace stays, the call still waits.
   */
  rateLimited(): void {
    const now = this.clock.now();
    if (now - this.lastDrop < WINDOW_MS) return;
    const recent = this.acceptedAt.filter((at) => at > now - WINDOW_MS).length;
    if (recent < MIN_SAMPLE) return;
    this.lastDrop = now;
    this.lastRise = now;
    this.rate = Math.min(this.rate, recent) * BACK_OFF;
  }
}
