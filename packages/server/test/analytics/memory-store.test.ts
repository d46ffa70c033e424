import { describe, expect, it } from 'vitest';
import { createMemoryAnalyticsStore } from '../../src/index';
import { analyticsStoreContract } from './store-contract';
import { createTestClock, EPOCH, event, pageView } from './support';

analyticsStoreContract('memory store', () => createMemoryAnalyticsStore());

const MINUTE = 60_000;

describe('memory analytics store', () => {
  it('refuses options that would break the window or the bounds', () => {
    expect(() => createMemoryAnalyticsStore({ activeWindowMs: 0 })).toThrow(RangeError);
    expect(() => createMemoryAnalyticsStore({ activeWindowMs: 60 * MINUTE })).toThrow(RangeError);
    expect(() => createMemoryAnalyticsStore({ maxVisitors: 0 })).toThrow(RangeError);
    expect(() => createMemoryAnalyticsStore({ maxEventTypes: 1.5 })).toThrow(RangeError);
  });

  it('reports its activeWindowMs and uses it', async () => {
    const store = createMemoryAnalyticsStore({ activeWindowMs: 60_000 });
    await store.record([pageView('a', EPOCH)], EPOCH);
    expect((await store.snapshot(EPOCH + 59_999)).activeUsers).toBe(1);
    const s = await store.snapshot(EPOCH + 60_000);
    expect(s).toMatchObject({ activeUsers: 0, activeWindowMs: 60_000, uniqueVisitors: 1 });
  });

  it('holds at most maxVisitors, forgetting the visitor seen longest ago but still counting it', async () => {
    const clock = createTestClock();
    const store = createMemoryAnalyticsStore({ maxVisitors: 10 });
    for (let i = 0; i < 25; i++) {
      await store.record([pageView(`v${i}`, clock.now())], clock.now());
      clock.advance(10_000);
    }
    expect(store.stats()).toMatchObject({ visitors: 10, bucketVisitorEntries: 10, evictedVisitors: 15 });
    const s = await store.snapshot(clock.now());
    expect(s.uniqueVisitors).toBe(25);
    // The last 5 minutes hold v0..v24 at 10 s steps: v0 was at 0 s, now is 250 s, so all 25 are recent,
    // but the forgotten ones are counted by their bucket: still 25.
    expect(s.activeUsers).toBe(25);
    clock.advance(60 * MINUTE);
    await store.snapshot(clock.now());
    expect(store.stats()).toMatchObject({ visitors: 0, bucketVisitorEntries: 0, buckets: 0 });
  });

  it('keeps the most recent visitors exact when forgetting', async () => {
    const clock = createTestClock();
    const store = createMemoryAnalyticsStore({ maxVisitors: 3, activeWindowMs: 2 * MINUTE });
    for (const id of ['a', 'b', 'c']) await store.record([pageView(id, clock.now())], clock.now());
    clock.advance(5 * MINUTE);
    await store.record([pageView('d', clock.now()), pageView('e', clock.now())], clock.now());
    const s = await store.snapshot(clock.now());
    expect(s).toMatchObject({ uniqueVisitors: 5, activeUsers: 2 });
    expect(store.stats().visitors).toBe(3);
  });

  it('counts types past maxEventTypes under other until room frees up', async () => {
    const clock = createTestClock();
    const store = createMemoryAnalyticsStore({ maxEventTypes: 2 });
    await store.record([event('a', clock.now()), event('b', clock.now()), event('c', clock.now())], clock.now());
    expect((await store.snapshot(clock.now())).eventCounts).toEqual({ a: 1, b: 1, other: 1 });
    clock.advance(30 * MINUTE);
    await store.record([event('a', clock.now())], clock.now());
    clock.advance(30 * MINUTE); // the first minute (a, b, c) leaves the window
    await store.record([event('c', clock.now()), event('d', clock.now())], clock.now());
    expect((await store.snapshot(clock.now())).eventCounts).toEqual({ a: 1, c: 1, other: 1 });
    expect(store.stats()).toMatchObject({ eventTypes: 2 });
  });

  it('counts dropped events and rejects use after close', async () => {
    const store = createMemoryAnalyticsStore();
    await store.record([pageView('a', EPOCH - 61 * MINUTE)], EPOCH);
    expect(store.stats().droppedEvents).toBe(1);
    await store.close();
    await expect(store.record([pageView('a', EPOCH)], EPOCH)).rejects.toMatchObject({ code: 'internal' });
    await expect(store.snapshot(EPOCH)).rejects.toMatchObject({ code: 'internal' });
  });
});
