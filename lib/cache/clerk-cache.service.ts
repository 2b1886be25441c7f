import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { CLERK_CACHE } from '../clerk-users.constants';
import { LocalTtlCache } from './local-ttl-cache';

/**
 * JSON values in the configured cache-manager store (shared, e.g. Redis), or in a process-local
 * map when none is configured. Values are stored as strings so no caller ever holds a shared,
 * mutable object; a cache outage is a miss, never a 500.
 */
@Injectable()
export class ClerkCacheService {
  private readonly logger = new Logger('ClerkCache');
  private readonly local: LocalTtlCache<string> | null;

  constructor(@Inject(CLERK_CACHE) private readonly cache: Cache | null) {
    this.local = cache ? null : new LocalTtlCache<string>(50_000);
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = this.local ? this.local.get(key) : await this.cache!.get<string>(key);
      return typeof raw === 'string' ? (JSON.parse(raw) as T) : undefined;
    } catch (error) {
      this.logger.warn(`cache read failed (${(error as Error).message}); treating as a miss`);
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    try {
      const raw = JSON.stringify(value);
      if (this.local) this.local.set(key, raw, Math.floor(ttlMs));
      else await this.cache!.set(key, raw, Math.floor(ttlMs));
    } catch (error) {
      this.logger.warn(`cache write failed (${(error as Error).message})`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      if (this.local) this.local.delete(key);
      else await this.cache!.del(key);
    } catch (error) {
      this.logger.error(`cache invalidation failed (${(error as Error).message}); a stale entry may live until its TTL`);
    }
  }
}
