import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBroker } from '../src/index';

const KEEP = { size: 10, maxAge: 60_000 };

describe.skipIf(!requireService('redis-server', hasRedisServer()))('connection waiters', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('many operations waiting for the first connect print no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const broker = createRedisBroker({ redis: redis.url });
    try {
      // Issued in the same tick as the constructor: every one of them waits for `ready`.
      const published = await Promise.all(
        Array.from({ length: 50 }, (_, i) => broker.publish(`waiters-${i % 5}`, { json: String(i) }, KEEP)),
      );
      expect(published).toHaveLength(50);
      // process.emitWarning delivers on the next tick: let it through before looking.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await broker.close();
    }
  });
});
