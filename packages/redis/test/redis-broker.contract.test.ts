import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe } from 'vitest';
import { createRedisBroker } from '../src/index';
import { brokerContract } from './broker-contract';
import { brokerDedupeContract } from './broker-dedupe-contract';

describe.skipIf(!requireService('redis-server', hasRedisServer()))('RedisBroker', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  brokerContract('RedisBroker', () => {
    let now = 1_700_000_000_000;
    return {
      create: () => createRedisBroker({ redis: redis.url, now: () => now }),
      advance: (ms) => {
        now += ms;
      },
      isMultiNode: true,
    };
  });

  brokerDedupeContract('RedisBroker', () => {
    let now = 1_700_000_000_000;
    return {
      create: (dedupe) => createRedisBroker({ redis: redis.url, now: () => now, dedupe }),
      advance: (ms) => {
        now += ms;
      },
      isMultiNode: true,
    };
  });
});
