import type { AnalyticsEvent } from '@oxidite/protocol';
import { createMemoryAnalyticsStore } from '@oxidite/server';
import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisAnalyticsStore } from '../src/index';
import { EPOCH, pageView } from '@oxidite/test-utils';

const MINUTE = 60_000;

/** A seeded generator, so a failure replays the same way. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe.skipIf(!requireService('redis-server', hasRedisServer()))(
  'RedisAnalyticsStore against the memory store',
  () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis?.stop());

    it('gives the same snapshots as the memory store for the same calls, step by step', async () => {
      const options = { activeWindowMs: 2 * MINUTE, maxEventTypes: 4 };
      const store = createRedisAnalyticsStore({ redis: redis.url, prefix: 'parity:', ...options });
      const memory = createMemoryAnalyticsStore(options);
      const random = seeded(7);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const types = ['page_view', 'signup', 'click', 'cart:add', 'search', 'share', 'other', '__proto__'];
      let now = EPOCH;
      try {
        for (let step = 0; step < 300; step++) {
          // Mostly forward, sometimes back (the stores must keep their own time), now and then a jump.
          now += step % 23 === 0 ? 25 * MINUTE : Math.floor(random() * 90_000) - (step % 7 === 0 ? 40_000 : 0);
          const batch: AnalyticsEvent[] = [];
          const size = Math.floor(random() * 12);
          for (let i = 0; i < size; i++) {
            // From 70 minutes ago (dropped) to 2 minutes ahead (clamped); ids well below HLL's exact range.
            const timestamp = now + Math.floor(random() * 72 * MINUTE) - 70 * MINUTE;
            const who = random();
            const extra =
              who < 0.5
                ? { userId: `u${Math.floor(random() * 40)}` }
                : who < 0.8
                  ? { sessionId: `s${Math.floor(random() * 20)}` }
                  : {};
            batch.push({ type: pick(types), properties: {}, timestamp, ...extra });
          }
          await Promise.all([store.record(batch, now), memory.record(batch, now)]);
          const at = now + (step % 5 === 0 ? -MINUTE : 0);
          expect(await store.snapshot(at), `step ${step}`).toEqual(await memory.snapshot(at));
        }
      } finally {
        await store.close();
        await memory.close();
      }
    });

    it('counts unique visitors exactly below 128 and within 2% at 20,000 (HyperLogLog)', async () => {
      const store = createRedisAnalyticsStore({ redis: redis.url, prefix: 'hll:' });
      try {
        const now = EPOCH + 59 * MINUTE;
        let recorded = 0;
        const countAfter = async (total: number): Promise<number> => {
          const batch: AnalyticsEvent[] = [];
          // Spread over the whole window: the estimate is PFCOUNT over the 60 minute keys.
          for (; recorded < total; recorded++)
            batch.push(pageView(`visitor-${recorded}`, EPOCH + (recorded % 60) * MINUTE));
          await store.record(batch, now);
          return (await store.snapshot(now)).uniqueVisitors;
        };
        for (const n of [1, 2, 10, 50, 100, 127]) expect(await countAfter(n)).toBe(n);
        const estimate = await countAfter(20_000);
        expect(Math.abs(estimate - 20_000)).toBeLessThanOrEqual(400);
      } finally {
        await store.close();
      }
    });
  },
);
