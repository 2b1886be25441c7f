import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import KeyvRedis from '@keyv/redis';

/** Redis when TEST_REDIS_URL is set (CI), otherwise one in-memory store shared by every instance it is given to. */
export function sharedCache(): { cache: Cache; kind: string; disconnect(): Promise<void> } {
  const url = process.env.TEST_REDIS_URL;
  if (!url) return { cache: createCache(), kind: 'shared in-memory store', disconnect: async () => {} };
  const keyv = new Keyv({ store: new KeyvRedis(url), namespace: `clerk-test-${process.pid}-${Date.now()}` });
  return { cache: createCache({ stores: [keyv] }), kind: 'Redis', disconnect: () => keyv.disconnect() };
}
