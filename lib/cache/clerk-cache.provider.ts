import type { FactoryProvider } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import { CLERK_CACHE, CLERK_RESOLVED_OPTIONS } from '../clerk-users.constants.js';
import type { ResolvedClerkUsersOptions } from '../options/clerk-users-options.interface.js';

/**
 * The `cache` option first, then the app's global `CacheModule` (e.g. Redis, shared by instances);
 * `null` means the module's own process-local cache.
 */
export const clerkCacheProvider: FactoryProvider<Cache | null> = {
  provide: CLERK_CACHE,
  useFactory: (options: ResolvedClerkUsersOptions, appCache?: Cache) => options.cache ?? appCache ?? null,
  inject: [CLERK_RESOLVED_OPTIONS, { token: CACHE_MANAGER, optional: true }],
};
