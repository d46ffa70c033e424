import { createMemoryRateLimiter, RETRY_NEVER, type RateRule } from '@oxidite/server';
import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisRateLimiter, createRedisRateLimiter } from '../src/index';

describe.skipIf(!requireService('redis-server', hasRedisServer()))('RedisRateLimiter', () => {
  let redis: RedisServer;
  const open: RedisRateLimiter[] = [];
  const limiter = (options: Partial<Parameters<typeof createRedisRateLimiter>[0]> = {}): RedisRateLimiter => {
    const created = createRedisRateLimiter({ redis: redis.url, ...options });
    open.push(created);
    return created;
  };
  let keyCounter = 0;
  const freshKey = () => `test:${++keyCounter}`;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });
  afterAll(() => redis?.stop());

  it('allows a burst of `capacity` on Redis TIME, then refuses with a positive retryAfter', async () => {
    const rl = limiter();
    const key = freshKey();
    const rule: RateRule = { capacity: 3, refillPerSecond: 0.001 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await rl.consume(key, rule));
    expect(decisions.slice(0, 3).map((d) => [d.allowed, d.remaining, d.retryAfter])).toEqual([
      [true, 2, 0],
      [true, 1, 0],
      [true, 0, 0],
    ]);
    expect(decisions[3]?.allowed).toBe(false);
    expect(decisions[3]?.remaining).toBe(0);
    expect(decisions[3]?.retryAfter).toBeGreaterThan(900_000); // ~1,000 s for one token at 0.001/s
  });

  it('makes the same decisions as the in-memory limiter for the same clock', async () => {
    let now = 1_000_000;
    const rl = limiter({ now: () => now });
    const memory = createMemoryRateLimiter({ now: () => now });
    const rules: RateRule[] = [
      { capacity: 5, refillPerSecond: 2 },
      { capacity: 1, refillPerSecond: 0.3 },
      { capacity: 10, refillPerSecond: 0 },
      { capacity: 2.5, refillPerSecond: 7 },
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (const [index, rule] of rules.entries()) {
      const key = `same:${index}`;
      for (let step = 0; step < 60; step++) {
        now += Math.floor(random() * 700) - (step % 17 === 0 ? 300 : 0); // sometimes the clock goes back
        const cost = [0, 1, 1, 2, 3, 12][Math.floor(random() * 6)] ?? 1;
        expect(await rl.consume(key, rule, cost), `rule ${index} step ${step}`).toEqual(
          memory.consume(key, rule, cost),
        );
      }
    }
  });

  it('shares one bucket between two nodes', async () => {
    let now = 5_000;
    const [a, b] = [limiter({ now: () => now }), limiter({ now: () => now })];
    const key = freshKey();
    const rule = { capacity: 2, refillPerSecond: 1 };
    expect((await a.consume(key, rule)).allowed).toBe(true);
    expect((await b.consume(key, rule)).allowed).toBe(true);
    const refused = await a.consume(key, rule);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfter: 1_000 });
    now += 1_000;
    expect(await b.consume(key, rule)).toEqual({ allowed: true, remaining: 0, retryAfter: 0 });
  });

  it("expires a bucket's key when it would be full again, and keeps none for a full bucket", async () => {
    const rl = limiter({ prefix: 'ttl:' });
    const admin = new Redis(redis.url);
    try {
      await rl.consume('k', { capacity: 10, refillPerSecond: 2 }, 4);
      const ttl = await admin.pttl('ttl:rate:k');
      expect(ttl).toBeGreaterThan(1_500);
      expect(ttl).toBeLessThanOrEqual(2_000);
      await rl.consume('full', { capacity: 10, refillPerSecond: 2 }, 0);
      expect(await admin.exists('ttl:rate:full')).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it('reports RETRY_NEVER for a cost above capacity and rejects invalid rules', async () => {
    const rl = limiter();
    expect(await rl.consume(freshKey(), { capacity: 2, refillPerSecond: 1 }, 3)).toEqual({
      allowed: false,
      remaining: 2,
      retryAfter: RETRY_NEVER,
    });
    await expect(rl.consume(freshKey(), { capacity: 0, refillPerSecond: 1 })).rejects.toThrow(RangeError);
    await expect(rl.consume(freshKey(), { capacity: 1, refillPerSecond: 1 }, -1)).rejects.toThrow(RangeError);
  });
});
