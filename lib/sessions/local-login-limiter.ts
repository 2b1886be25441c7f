import { isIPv4, isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClerkCacheService } from '../cache/clerk-cache.service.js';
import { SecurityStateStore } from '../cache/security-state-store.js';
import { CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';
import { loginFailuresByAccountKey, loginFailuresByIpKey } from '../cache/cache-keys.js';

/** The 8 groups of an IPv6 address (zone id dropped, a dotted IPv4 tail as two groups), or `null`. */
function ipv6Groups(ip: string): number[] | null {
  const address = ip.split('%')[0];
  if (!isIPv6(address)) return null;
  const halves = address.split('::');
  const groupsOf = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const head = groupsOf(halves[0]);
  const tail = halves.length > 1 ? groupsOf(halves[1]) : [];
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * What the per-IP counter counts: an IPv4 address (IPv4-mapped IPv6 folded to it) on its own, an
 * IPv6 address by its /64, the smallest block a host is given; one host rotating through its own
 * /64 stays one subject.
 */
export function limitedAddress(ip: string): string {
  if (isIPv4(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/**
 * Most counters the process-local store keeps (without a shared cache). Clients create them (one
 * per account name tried, one per address), and a counter dropped before its window closes would
 * hand its subject a fresh set of guesses, so none is ever evicted: when the store is full of live
 * windows, an attempt that needs a new counter is refused (429) until one closes. Each address adds
 * at most `maxFailuresPerIp` + 1 counters per window, so filling it takes thousands of addresses
 * (IPv6: /64 blocks) within one window; full, it holds about 30 MB (measured). With a shared cache
 * (Redis) there is no such count: Redis' memory is the bound.
 */
export const MAX_LOCAL_COUNTERS = 100_000;

/** Failed attempts of one subject in the current window (what the shared cache stores). */
interface FailureWindow {
  count: number;
  /** Epoch milliseconds when the window (opened by its first failure) closes. */
  resetAt: number;
}

/** One counter an attempt is checked against. */
export interface LimitedSubject {
  key: string;
  limit: number;
  /** Forget the failures after a successful login (an account's counter, not an IP's). */
  resetOnSuccess: boolean;
}

/** An admitted attempt: report how it ended. */
export interface AdmittedLoginAttempt {
  limited: false;
  finish(succeeded: boolean): Promise<void>;
}

export type LoginAttemptGate = AdmittedLoginAttempt | { limited: true; retryAfterSeconds: number };

/**
 * Failed-login counters per account and per client IP in a {@link SecurityStateStore} (the shared
 * cache when there is one, so every instance counts together; else a process-local store that
 * nothing else fills and that never drops a live counter), with a fixed window opened by the first
 * failure. Attempts in flight in this process count too, so a burst of parallel guesses cannot slip
 * past a counter that has not been written yet; across instances a burst can overshoot by at most
 * one limit per instance.
 */
@Injectable()
export class LocalLoginLimiter {
  private readonly logger = new Logger('ClerkLocalAuth');
  private readonly counters: SecurityStateStore;
  private readonly inFlight = new Map<string, number>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly windowMs: number;
  /** Places in the process-local store promised to admitted attempts whose subjects have no counter yet. */
  private reserved = 0;

  constructor(cache: ClerkCacheService, @Inject(CLERK_RESOLVED_OPTIONS) options: ResolvedClerkUsersOptions) {
    this.counters = new SecurityStateStore(cache, MAX_LOCAL_COUNTERS);
    this.windowMs = (options.localAuth?.failureWindowSeconds ?? 900) * 1000;
  }

  static accountKey(account: string): string {
    return loginFailuresByAccountKey(account);
  }

  /** The per-IP counter of a client address (an IPv6 address counts as its /64). */
  static ipKey(ip: string): string {
    return loginFailuresByIpKey(limitedAddress(ip));
  }

  /** Admits an attempt unless a subject already reached its limit (then: seconds until its window closes). */
  async begin(subjects: LimitedSubject[]): Promise<LoginAttemptGate> {
    for (const { key } of subjects) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    const windows = await Promise.all(subjects.map(({ key }) => this.read(key)));
    const now = Date.now();
    let retryAfterMs = -1;
    subjects.forEach((subject, index) => {
      const window = windows[index];
      // This attempt is one of the in-flight ones: it is admitted while failures + attempts ≤ limit.
      if ((window?.count ?? 0) + (this.inFlight.get(subject.key) ?? 0) > subject.limit) {
        retryAfterMs = Math.max(retryAfterMs, window ? window.resetAt - now : 1000);
      }
    });
    // A failure must be countable: with no place left for a new counter, the attempt is not made.
    const fresh = windows.filter((window) => !window).length;
    if (retryAfterMs < 0 && fresh > 0 && !this.counters.hasRoomFor(this.reserved + fresh)) {
      this.logger.warn('login attempt refused: the failed-login counters are full (every one still in its window)');
      retryAfterMs = Math.max(1000, this.counters.msUntilRoom());
    }
    if (retryAfterMs >= 0) {
      this.settle(subjects);
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
    this.reserved += fresh;
    return {
      limited: false,
      finish: async (succeeded) => {
        try {
          if (succeeded) await Promise.all(subjects.filter((s) => s.resetOnSuccess).map((s) => this.counters.delete(s.key)));
          else await Promise.all(subjects.map((s) => this.recordFailure(s.key)));
        } finally {
          // Only now: until the failure is stored, the in-flight count (and the reservation) stand for it.
          this.reserved -= fresh;
          this.settle(subjects);
        }
      },
    };
  }

  private settle(subjects: LimitedSubject[]): void {
    for (const { key } of subjects) {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    }
  }

  private async read(key: string): Promise<FailureWindow | null> {
    const window = await this.counters.get<FailureWindow>(key);
    return window && typeof window.count === 'number' && typeof window.resetAt === 'number' && window.resetAt > Date.now() ? window : null;
  }

  /** Read-modify-write of one counter, one at a time per key in this process. */
  private recordFailure(key: string): Promise<void> {
    const previous = this.writes.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const now = Date.now();
      const current = await this.read(key);
      const window: FailureWindow = current ? { count: current.count + 1, resetAt: current.resetAt } : { count: 1, resetAt: now + this.windowMs };
      if (!(await this.counters.set(key, window, window.resetAt - now))) {
        // Places are reserved at admission; only a window that closed during the attempt needs one afresh.
        this.logger.error('a failed login could not be counted: the failed-login counters are full');
      }
    });
    const tracked = next.finally(() => {
      if (this.writes.get(key) === tracked) this.writes.delete(key);
    });
    this.writes.set(key, tracked);
    return tracked;
  }
}
