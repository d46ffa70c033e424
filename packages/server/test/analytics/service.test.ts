import { isRealtimeError, type RealtimeError } from '@oxidite/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AnalyticsService, createAnalyticsService, createMemoryAnalyticsStore } from '../../src/index';
import { createTestClock, EPOCH, observeStore } from './support';

const services: AnalyticsService[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(services.splice(0).map((s) => s.close()));
});

function serviceWith(options: Parameters<typeof createAnalyticsService>[0] = {}) {
  const clock = createTestClock(EPOCH + 30_000);
  const store = observeStore(createMemoryAnalyticsStore());
  const service = createAnalyticsService({ store, now: clock.now, flushInterval: 0, publishInterval: 0, ...options });
  services.push(service);
  return { clock, store, service };
}

function thrown(action: () => unknown): RealtimeError {
  try {
    action();
  } catch (error) {
    if (isRealtimeError(error)) return error;
    throw error;
  }
  throw new Error('expected a RealtimeError');
}

describe('analytics service: validation', () => {
  it('rejects an invalid event with `invalid` and the path, and queues nothing', () => {
    const { service } = serviceWith();
    const error = thrown(() => service.track({ type: 'bad type' }));
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/^invalid event: type: expected an event type/);
    const batchError = thrown(() => service.trackBatch([{ type: 'ok' }, { type: 'ok', userId: '' }]));
    expect(batchError.message).toBe('invalid batch: events[1].userId: expected at least 1 character');
    expect(service.stats()).toMatchObject({ tracked: 0, pending: 0 });
  });

  it('stamps events without a timestamp with its clock, and keeps given ones', async () => {
    const { service, clock } = serviceWith();
    service.track({ type: 'page_view', userId: 'a' });
    service.track({ type: 'page_view', userId: 'b', timestamp: clock.now() - 120_000 });
    const { perMinute } = await service.metrics();
    expect(perMinute.slice(-3).map((m) => m.count)).toEqual([1, 0, 1]);
  });

  it('ingests an untrusted body: one event or { events }', async () => {
    const { service } = serviceWith();
    expect(service.ingest({ type: 'page_view', sessionId: 's' })).toBe(1);
    expect(service.ingest({ events: [{ type: 'a' }, { type: 'b' }] })).toBe(2);
    expect(thrown(() => service.ingest({ events: 'x' })).message).toBe('invalid batch: events: expected an array');
    expect(thrown(() => service.ingest('x')).code).toBe('invalid');
    expect((await service.metrics()).eventCounts).toEqual({ page_view: 1, a: 1, b: 1 });
  });
});

describe('analytics service: batching', () => {
  it('flushes when the batch reaches batchSize, without a timer or a flush() call', async () => {
    const { service, store } = serviceWith({ batchSize: 10 });
    for (let i = 0; i < 9; i++) service.track({ type: 'click' });
    expect(store.batches).toEqual([]);
    const recorded = store.nextRecord();
    service.track({ type: 'click' });
    expect(store.batches).toEqual([]); // not on the caller's stack
    expect(await recorded).toBe(10);
    await service.flush(); // joins the drain in flight
    expect(store.batches).toEqual([10]);
    expect(service.stats()).toMatchObject({ pending: 0, flushed: 10 });
  });

  it('records in batches of at most batchSize, in order', async () => {
    const { service, store } = serviceWith({ batchSize: 10 });
    service.trackBatch(Array.from({ length: 25 }, () => ({ type: 'click' })));
    await service.flush();
    expect(store.batches).toEqual([10, 10, 5]);
  });

  it('flushes every flushInterval (fake timers drive the scheduler)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { service, store } = serviceWith({ flushInterval: 1_000 });
    service.trackBatch([{ type: 'a' }, { type: 'b' }, { type: 'c' }]);
    await vi.advanceTimersByTimeAsync(999);
    expect(store.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.batches).toEqual([3]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.batches).toEqual([3]); // nothing pending, nothing recorded
  });

  it('refuses past maxPending with rate_limited, all or none, and counts it', () => {
    const { service } = serviceWith({ maxPending: 5, batchSize: 100 });
    service.trackBatch([{ type: 'a' }, { type: 'a' }, { type: 'a' }, { type: 'a' }]);
    const error = thrown(() => service.trackBatch([{ type: 'b' }, { type: 'b' }]));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfter: 1_000 });
    service.track({ type: 'c' });
    expect(thrown(() => service.track({ type: 'd' })).code).toBe('rate_limited');
    expect(service.stats()).toMatchObject({ pending: 5, tracked: 5, rejected: 3 });
  });

  it('answers metrics() after flushing what is pending', async () => {
    const { service } = serviceWith();
    service.trackBatch([
      { type: 'page_view', userId: 'a' },
      { type: 'page_view', userId: 'b' },
    ]);
    expect(await service.metrics()).toMatchObject({ pageViews: 2, uniqueVisitors: 2, activeUsers: 2 });
  });

  it('drops a batch the store refuses, reports timer flushes to onError, and goes on', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = createMemoryAnalyticsStore();
    let isBroken = true;
    const errors: unknown[] = [];
    const service = createAnalyticsService({
      store: {
        record: (events, now) => (isBroken ? Promise.reject(new Error('store down')) : store.record(events, now)),
        snapshot: (now) => store.snapshot(now),
        close: () => store.close(),
      },
      flushInterval: 1_000,
      onError: (error, source) => errors.push([source, (error as Error).message]),
    });
    services.push(service);
    service.track({ type: 'lost' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors).toEqual([['flush', 'store down']]);
    service.track({ type: 'also-lost' });
    await expect(service.flush()).rejects.toThrow('store down');
    isBroken = false;
    service.track({ type: 'kept' });
    expect((await service.metrics()).eventCounts).toEqual({ kept: 1 });
    expect(service.stats()).toMatchObject({ failed: 2, flushed: 1, tracked: 3 });
  });
});

describe('analytics service: lifecycle', () => {
  it('close() flushes, stops the timers, refuses new events, and closes the store it created', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { service, store } = serviceWith({ flushInterval: 1_000 });
    service.track({ type: 'last' });
    await service.close();
    expect(store.batches).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
    expect(thrown(() => service.track({ type: 'late' })).message).toBe('analytics service is closed');
    await expect(store.snapshot(EPOCH)).resolves.toBeDefined(); // a store passed in stays open

    const own = createAnalyticsService({ publishInterval: 0, flushInterval: 0 });
    await own.close();
    await expect(own.metrics()).rejects.toMatchObject({ code: 'internal' });
  });

  it('publishNow() without realtime returns the snapshot and publishes nothing', async () => {
    const { service } = serviceWith();
    service.track({ type: 'page_view', userId: 'a' });
    expect(await service.publishNow()).toMatchObject({ pageViews: 1 });
    expect(service.stats().published).toBe(0);
  });

  it('refuses nonsensical options', () => {
    expect(() => createAnalyticsService({ batchSize: 0 })).toThrow(RangeError);
    expect(() => createAnalyticsService({ maxPending: -1 })).toThrow(RangeError);
    expect(() => createAnalyticsService({ flushInterval: 1.5 })).toThrow(RangeError);
  });
});
