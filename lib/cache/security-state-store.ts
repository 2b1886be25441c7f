import type { ClerkCacheService } from './clerk-cache.service.js';
import { LocalTtlCache } from './local-ttl-cache.js';

/**
 * Security state (session revocations, failed-login counters). With a shared store (Redis) it lives
 * there, under the app's namespace like every key, so every instance sees it; Redis must then not
 * evict keys before they expire (`maxmemory-policy noeviction`, see the README). Without one it
 * lives in a process-local map of its own: it shares no room with what requests make the general
 * cache hold (users, organizations, "not found" entries) and never evicts an entry before it expires.
 * When that map is full of live entries it keeps nothing new and says so: the owner decides what a
 * refusal means (the login limiter refuses the attempt).
 */
export class SecurityStateStore {
  private readonly local: LocalTtlCache<unknown> | null;

  /** `maxLocalEntries`: the process-local bound (`Infinity` where only signed Clerk events create entries). */
  constructor(
    private readonly cache: ClerkCacheService,
    maxLocalEntries: number,
  ) {
    this.local = cache.isShared ? null : new LocalTtlCache<unknown>(maxLocalEntries, 'refuse');
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.local ? (this.local.get(key) as T | undefined) : this.cache.get<T>(key);
  }

  /** Keeps `value` for `ttlMs`; `false` when the process-local map is full of live entries (nothing kept). */
  async set(key: string, value: unknown, ttlMs: number): Promise<boolean> {
    if (!this.local) {
      await this.cache.set(key, value, ttlMs);
      return true;
    }
    return ttlMs <= 0 || this.local.set(key, value, Math.floor(ttlMs));
  }

  async delete(key: string): Promise<void> {
    if (this.local) this.local.delete(key);
    else await this.cache.delete(key);
  }

  /** Whether `count` new keys would be kept now (always, in a shared store). */
  hasRoomFor(count: number): boolean {
    return this.local?.hasRoomFor(count) ?? true;
  }

  /** Milliseconds until the process-local map frees a place (its soonest expiry); 0 in a shared store. */
  msUntilRoom(): number {
    return this.local?.msUntilNextExpiry() ?? 0;
  }
}
