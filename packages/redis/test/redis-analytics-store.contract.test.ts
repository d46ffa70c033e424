import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe } from 'vitest';
import { createRedisAnalyticsStore } from '../src/index';
import { analyticsStoreContract } from '@oxidite/test-utils';

describe.skipIf(!requireService('redis-server', hasRedisServer()))('RedisAnalyticsStore', () => {
  let redis: RedisServer;
  let stores = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  // A fresh prefix per test is a fresh, empty store. uniqueVisitors is a HyperLogLog estimate:
  // exact for the suite's small counts, within 2% for its 500 visitors (PFCOUNT reads 501).
  analyticsStoreContract(
    'RedisAnalyticsStore',
    () => createRedisAnalyticsStore({ redis: redis.url, prefix: `contract${++stores}:` }),
    { uniqueVisitorsTolerance: 0.02 },
  );
});
