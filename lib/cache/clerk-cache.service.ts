import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { CLERK_CACHE } from '../clerk-users.constants';

/**
 * JSON values in the configured cache-manager store. Values are stored as strings so an
 * in-memory store never hands out a shared, mutable object; a cache outage is a miss, never a 500.
 */
@Injectable()
export class ClerkCacheService {
  private readonly logger = new Logger('ClerkCache');

  constructor(@Inject(CLERK_CACHE) private readonly cache: Cache) {}

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.cache.get<string>(key);
      return typeof raw === 'string' ? (JSON.parse(raw) as T) : undefined;
    } catch (error) {
      this.logger.warn(`cache read failed (${(error as Error).message}); treating as a miss`);
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    try {
      await this.cache.set(key, JSON.stringify(value), Math.floor(ttlMs));
    } catch (error) {
      this.logger.warn(`cache write failed (${(error as Error).message})`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.cache.del(key);
    } catch (error) {
      this.logger.error(`cache invalidation failed (${(error as Error).message}); a stale entry may live until its TTL`);
    }
  }
}
