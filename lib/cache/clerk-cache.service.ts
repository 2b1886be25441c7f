import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { CLERK_CACHE } from '../clerk-users.constants.js';
import { namespacedCacheKey } from './cache-keys.js';
import { ClerkCacheNamespace } from './clerk-cache-namespace.js';
import { LocalTtlCache } from './local-ttl-cache.js';

/** Entries of the process-local default store; past it, expired entries go first, then those that expire soonest. */
const LOCAL_MAX_ENTRIES = 50_000;

/** A JSON copy of `value` that nobody can change: what the process-local store keeps and hands out. */
function frozenCopy(value: unknown): unknown {
  return deepFreeze(JSON.parse(JSON.stringify(value)) as unknown);
}

function deepFreeze(value: unknown): unknown {
  if (value && typeof value === 'object') {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}

/**
 * JSON values in the configured cache-manager store (shared, e.g. Redis, as strings), or in a
 * process-local map when none is configured (as deep-frozen JSON copies, so a warm request pays
 * no parse and no caller can change what another one reads). A cache outage is a miss, never a 500.
 * In the shared store every key is stored under this app's namespace ({@link ClerkCacheNamespace}:
 * the option `cacheKeyPrefix`, the Clerk instance, the app's tables), so apps sharing one Redis never
 * read each other's entries. Security state does not live here but in a {@link SecurityStateStore}.
 */
@Injectable()
export class ClerkCacheService {
  private readonly logger = new Logger('ClerkCache');
  private readonly local: LocalTtlCache<unknown> | null;

  constructor(
    @Inject(CLERK_CACHE) private readonly cache: Cache | null,
    private readonly namespace: ClerkCacheNamespace,
  ) {
    this.local = cache ? null : new LocalTtlCache<unknown>(LOCAL_MAX_ENTRIES);
  }

  /** Whether entries live in a store shared with other instances (else in this process only). */
  get isShared(): boolean {
    return this.local === null;
  }

  /** The key `key` is stored under: namespaced in a shared store (what to look for in Redis), as given in the process-local one. */
  storeKeyOf(key: string): string {
    return this.local ? key : namespacedCacheKey(this.namespace.value, key);
  }

  /** The cached value (read-only: values of the process-local store are frozen), or `undefined`. */
  async get<T>(key: string): Promise<T | undefined> {
    try {
      if (this.local) return this.local.get(key) as T | undefined;
      const raw = await this.cache!.get<string>(this.storeKeyOf(key));
      return typeof raw === 'string' ? (JSON.parse(raw) as T) : undefined;
    } catch (error) {
      this.logger.warn(`cache read failed (${(error as Error).message}); treating as a miss`);
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    try {
      if (this.local) this.local.set(key, frozenCopy(value), Math.floor(ttlMs));
      else await this.cache!.set(this.storeKeyOf(key), JSON.stringify(value), Math.floor(ttlMs));
    } catch (error) {
      this.logger.warn(`cache write failed (${(error as Error).message})`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      if (this.local) this.local.delete(key);
      else await this.cache!.del(this.storeKeyOf(key));
    } catch (error) {
      this.logger.error(`cache invalidation failed (${(error as Error).message}); a stale entry may live until its TTL`);
    }
  }
}
