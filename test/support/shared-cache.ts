import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';
import { createClient } from '@redis/client';

export type SharedCacheKind = 'Redis' | 'shared in-memory store';

export interface SharedCache {
  cache: Cache;
  kind: SharedCacheKind;
  /** Keys the instances stored, read back from the store itself (for Redis over a connection of its own). */
  storedKeyCount(): Promise<number>;
  disconnect(): Promise<void>;
}

/** The kind the environment asks for: Redis when TEST_REDIS_URL is set (CI), else one in-memory store. */
export const expectedSharedCacheKind = (): SharedCacheKind => (process.env.TEST_REDIS_URL ? 'Redis' : 'shared in-memory store');

/** Redis when TEST_REDIS_URL is set (CI), otherwise one in-memory store shared by every instance it is given to. */
export function sharedCache(): SharedCache {
  const url = process.env.TEST_REDIS_URL;
  if (!url) {
    const store = new Map<string, unknown>();
    return { cache: createCache({ stores: [new Keyv({ store })] }), kind: 'shared in-memory store', storedKeyCount: async () => store.size, disconnect: async () => {} };
  }
  const namespace = `clerk-test-${process.pid}-${Date.now()}`;
  const keyv = new Keyv({ store: new KeyvRedis(url), namespace });
  return {
    cache: createCache({ stores: [keyv] }),
    kind: 'Redis',
    storedKeyCount: async () => {
      const client = createClient({ url });
      await client.connect();
      try {
        return (await client.keys(`*${namespace}*`)).length;
      } finally {
        await client.close();
      }
    },
    disconnect: () => keyv.disconnect(),
  };
}
