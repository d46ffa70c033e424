import { isRealtimeError } from '@oxidite/protocol';
import { type AnalyticsStore, createAnalyticsService } from '@oxidite/server';
import { type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisAnalyticsStoreOptions, createRedisAnalyticsStore } from '../src/index';
import { EPOCH, event, pageView } from '@oxidite/test-utils';

const MINUTE = 60_000;

describe.skipIf(!requireService('redis-server', hasRedisServer()))('RedisAnalyticsStore', () => {
  let redis: RedisServer;
  let admin: Redis;
  const open: AnalyticsStore[] = [];
  let prefixes = 0;
  /** A store on a fresh prefix (or on `prefix`, to make a second node of the same deployment). */
  const store = (options: Partial<RedisAnalyticsStoreOptions> = {}): AnalyticsStore => {
    const created = createRedisAnalyticsStore({ redis: redis.url, prefix: `t${++prefixes}:`, ...options });
    open.push(created);
    return created;
  };

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await redis.start();
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  it('shares counts, the type cap and the clock between nodes on one prefix', async () => {
    const [a, b] = [store({ prefix: 'shared:', maxEventTypes: 2 }), store({ prefix: 'shared:', maxEventTypes: 2 })];
    await a.record([pageView('ann', EPOCH), event('signup', EPOCH, { userId: 'ann' })], EPOCH);
    await b.record([pageView('bob', EPOCH), event('share', EPOCH, { sessionId: 's1' })], EPOCH);
    const fromA = await a.snapshot(EPOCH);
    expect(fromA).toMatchObject({ pageViews: 2, uniqueVisitors: 3, activeUsers: 3 });
    expect(fromA.eventCounts).toEqual({ page_view: 2, signup: 1, other: 1 }); // B's `share` found the cap full
    expect(await b.snapshot(EPOCH)).toEqual(fromA);
    await a.snapshot(EPOCH + 90 * MINUTE); // A moves the shared clock on: B cannot move it back
    expect(await b.snapshot(EPOCH)).toMatchObject({ at: EPOCH + 90 * MINUTE, pageViews: 0, uniqueVisitors: 0 });
  });

  it("frees a type's name only once the last minute it was counted in leaves the window", async () => {
    const s = store({ maxEventTypes: 2 });
    await s.record([event('a', EPOCH), event('b', EPOCH)], EPOCH);
    const last = EPOCH + 59 * MINUTE; // EPOCH is now the oldest minute of the window
    await s.record([event('c', last)], last);
    expect((await s.snapshot(last)).eventCounts).toEqual({ a: 1, b: 1, other: 1 });
    await s.record([event('c', last + MINUTE)], last + MINUTE); // a and b have left: room for c
    expect((await s.snapshot(last + MINUTE)).eventCounts).toEqual({ c: 1, other: 1 });
  });

  it("keeps a visitor's latest time when an older event arrives in a later batch", async () => {
    const s = store({ activeWindowMs: 2 * MINUTE });
    await s.record([pageView('a', EPOCH + MINUTE)], EPOCH + MINUTE);
    await s.record([pageView('a', EPOCH)], EPOCH + MINUTE);
    expect((await s.snapshot(EPOCH + 2 * MINUTE + 30_000)).activeUsers).toBe(1); // from EPOCH + 1 min, not EPOCH
    expect((await s.snapshot(EPOCH + 3 * MINUTE)).activeUsers).toBe(0);
  });

  it('puts an expiry on every key: a minute key lives until a minute after it leaves the window', async () => {
    const s = store({ prefix: 'ttl:' });
    const now = EPOCH + 30_000;
    await s.record([pageView('a', now), event('signup', now - 10 * MINUTE, { sessionId: 's' })], now);
    const keys = (await admin.keys('ttl:*')).sort();
    expect(keys).toEqual(
      ['active', 'clock', 'types', `m:${EPOCH}`, `m:${EPOCH - 10 * MINUTE}`, `v:${EPOCH}`, `v:${EPOCH - 10 * MINUTE}`]
        .map((key) => `ttl:{analytics}:${key}`)
        .sort(),
    );
    for (const key of keys) {
      const ttl = await admin.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(61 * MINUTE);
    }
    // The current minute leaves the window 60 minutes after it began, 59.5 from now; then one more.
    const current = await admin.pttl(`ttl:{analytics}:m:${EPOCH}`);
    expect(current).toBeGreaterThan(60.5 * MINUTE - 1_000);
    expect(current).toBeLessThanOrEqual(60.5 * MINUTE);
    expect(await admin.pttl(`ttl:{analytics}:v:${EPOCH - 10 * MINUTE}`)).toBeLessThanOrEqual(50.5 * MINUTE);
  });

  it('sends one command per record (per 1,000 events) and per snapshot', async () => {
    const client = new Redis(redis.url);
    const sent: string[] = [];
    const send = client.sendCommand.bind(client);
    client.sendCommand = (command, stream) => {
      sent.push(command.name);
      return send(command, stream);
    };
    try {
      const s = createRedisAnalyticsStore({ redis: client, prefix: 'trips:' });
      await s.record([pageView('warm-up', EPOCH)], EPOCH); // loads the script (EVALSHA, then EVAL)
      sent.length = 0;
      await s.record(
        Array.from({ length: 500 }, (_, i) => pageView(`u${i}`, EPOCH)),
        EPOCH,
      );
      expect(sent).toEqual(['evalsha']);
      sent.length = 0;
      await s.record(
        Array.from({ length: 2_500 }, (_, i) => pageView(`u${i}`, EPOCH)),
        EPOCH,
      );
      expect(sent).toEqual(['evalsha', 'evalsha', 'evalsha']); // 1,000 + 1,000 + 500, written back to back
      sent.length = 0;
      await s.snapshot(EPOCH);
      expect(sent.filter((name) => name !== 'eval')).toEqual(['evalsha']);
      expect((await s.snapshot(EPOCH)).pageViews).toBe(3_001);
      await s.close(); // a client you pass stays open
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });

  it('rejects promptly with "broker unavailable" while Redis is down, then works again', async () => {
    const s = store({ connectTimeout: 500 });
    await s.record([pageView('a', EPOCH)], EPOCH);
    await redis.kill();
    const started = Date.now();
    const failure = await s.record([pageView('b', EPOCH)], EPOCH).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isRealtimeError(failure) && failure.code === 'internal' && failure.message).toBe('broker unavailable');
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(s.snapshot(EPOCH)).rejects.toThrow('broker unavailable');
    await redis.start();
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await s.record([pageView('c', EPOCH)], EPOCH); // waits for the reconnection, up to connectTimeout
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
    expect(await s.snapshot(EPOCH)).toMatchObject({ pageViews: 1, uniqueVisitors: 1 }); // a restart without persistence forgets
  });

  it('refuses bad options and rejects use after close', async () => {
    expect(() => createRedisAnalyticsStore({ redis: redis.url, activeWindowMs: 0 })).toThrow(RangeError);
    expect(() => createRedisAnalyticsStore({ redis: redis.url, activeWindowMs: 60 * MINUTE })).toThrow(RangeError);
    expect(() => createRedisAnalyticsStore({ redis: redis.url, maxEventTypes: 1.5 })).toThrow(RangeError);
    const s = store();
    await s.close();
    await expect(s.record([pageView('a', EPOCH)], EPOCH)).rejects.toMatchObject({ code: 'internal' });
    await expect(s.snapshot(EPOCH)).rejects.toThrow('analytics store is closed');
  });

  it('serves two analytics services (two nodes) one set of live metrics', async () => {
    let now = EPOCH;
    const clock = () => now;
    const services = ['a', 'b'].map(() =>
      createAnalyticsService({
        store: store({ prefix: 'service:' }),
        now: clock,
        flushInterval: 0,
        publishInterval: 0,
      }),
    );
    const [a, b] = services as [ReturnType<typeof createAnalyticsService>, ReturnType<typeof createAnalyticsService>];
    a.track({ type: 'page_view', userId: 'ann', properties: {} });
    b.trackBatch([
      { type: 'page_view', userId: 'bob', properties: {} },
      { type: 'signup', userId: 'ann', properties: {} },
    ]);
    await a.flush();
    now += 1_000;
    expect(await b.metrics()).toMatchObject({ at: now, pageViews: 2, uniqueVisitors: 2, activeUsers: 2 });
    expect((await a.metrics()).eventCounts).toEqual({ page_view: 2, signup: 1 });
    await Promise.all(services.map((service) => service.close()));
  });
});
