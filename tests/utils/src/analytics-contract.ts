/**
 * The AnalyticsStore contract: every store (memory in @oxidite/server, Redis in @oxidite/redis)
 * runs this one suite. `uniqueVisitorsTolerance` lets a HyperLogLog store pass: Redis's PFCOUNT
 * reads 501 for the suite's 500 visitors.
 */
import { METRICS_WINDOW_MINUTES, MetricsSnapshotSchema } from '@oxidite/protocol';
import type { AnalyticsEvent, MetricsSnapshot } from '@oxidite/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createTestClock, EPOCH, event, pageView, minutesTotal, type TestClock, totalOf } from './analytics-events';

/** The AnalyticsStore interface of @oxidite/server, structurally (test-utils cannot depend on the server). */
export interface AnalyticsStore {
  record(events: readonly AnalyticsEvent[], now: number): Promise<void>;
  snapshot(now: number): Promise<MetricsSnapshot>;
  close(): Promise<void>;
}

/** Builds a fresh, empty store for one test; the clock is the only time source the test moves. */
export type AnalyticsStoreFactory = (clock: TestClock) => AnalyticsStore | Promise<AnalyticsStore>;

/** How strictly the suite checks a store. */
export interface AnalyticsContractOptions {
  /**
   * Relative error allowed on `uniqueVisitors`: a count of `n` may be off by `floor(n × tolerance)`,
   * so counts under `1 / tolerance` must still be exact. 0 for exact stores; a HyperLogLog store
   * passes 0.02 (Redis's standard error is 0.81%, and its estimates are exact below ~128).
   * @default 0
   */
  readonly uniqueVisitorsTolerance?: number;
}

const SECOND = 1_000;
const MINUTE = 60_000;

/**
 * The behaviour every {@link AnalyticsStore} must have (see `src/analytics/analytics-store.ts`).
 * A store built on Redis runs this same suite with its own factory.
 *
 * @example
 * analyticsStoreContract('redis store', () => createRedisAnalyticsStore({ redis, prefix: uniquePrefix() }), {
 *   uniqueVisitorsTolerance: 0.02,
 * });
 */
export function analyticsStoreContract(
  name: string,
  factory: AnalyticsStoreFactory,
  options: AnalyticsContractOptions = {},
): void {
  const tolerance = options.uniqueVisitorsTolerance ?? 0;
  /** `uniqueVisitors` equals `expected`, within the store's declared tolerance. */
  const expectUnique = (actual: number, expected: number): void => {
    const slack = Math.floor(expected * tolerance);
    if (slack === 0) expect(actual, 'uniqueVisitors').toBe(expected);
    else
      expect(Math.abs(actual - expected), `uniqueVisitors ${actual} vs ${expected} ± ${slack}`).toBeLessThanOrEqual(
        slack,
      );
  };

  describe(`AnalyticsStore contract: ${name}`, () => {
    let clock: TestClock;
    let store: AnalyticsStore;
    const record = (...events: Parameters<AnalyticsStore['record']>[0][]) => store.record(events.flat(), clock.now());
    const snapshot = () => store.snapshot(clock.now());

    beforeEach(async () => {
      clock = createTestClock(EPOCH + 30 * SECOND);
      store = await factory(clock);
    });
    afterEach(async () => {
      await store.close();
    });

    it('starts empty: zero counts and 60 zero-filled minutes, oldest first, ending with the current one', async () => {
      const s = await snapshot();
      expect(MetricsSnapshotSchema['~standard'].validate(s).issues).toBeUndefined();
      expect(s).toMatchObject({ at: clock.now(), pageViews: 0, activeUsers: 0 });
      expectUnique(s.uniqueVisitors, 0);
      expect(s.eventCounts).toEqual({});
      expect(s.activeWindowMs).toBeGreaterThan(0);
      expect(s.perMinute).toHaveLength(METRICS_WINDOW_MINUTES);
      expect(s.perMinute.at(-1)).toEqual({ minute: EPOCH, count: 0 });
      expect(s.perMinute[0]).toEqual({ minute: EPOCH - 59 * MINUTE, count: 0 });
      expect(s.perMinute.map((m) => m.minute)).toEqual(s.perMinute.map((_, i) => EPOCH - (59 - i) * MINUTE));
    });

    it('counts exactly: page views, events by type, and per minute', async () => {
      const t = clock.now();
      await record([pageView('a', t), pageView('a', t), pageView('b', t), event('signup', t, { userId: 'b' })]);
      await record([event('cart:add', t - 40 * SECOND), event('cart:add', t - 100 * SECOND)]);
      const s = await snapshot();
      expect(s.pageViews).toBe(3);
      expect(s.eventCounts).toEqual({ page_view: 3, signup: 1, 'cart:add': 2 });
      expect(s.perMinute.at(-1)?.count).toBe(4);
      expect(s.perMinute.at(-2)?.count).toBe(1);
      expect(s.perMinute.at(-3)?.count).toBe(1);
      expect(minutesTotal(s)).toBe(totalOf(s.eventCounts));
    });

    it('counts distinct visitors: userId, else sessionId, never anonymous events', async () => {
      const t = clock.now();
      await record([
        pageView('u1', t),
        pageView('u1', t),
        event('page_view', t, { sessionId: 's1' }),
        event('click', t, { sessionId: 's1' }),
        event('click', t, { sessionId: 'u1' }), // a session id equal to a user id is another visitor
        event('click', t, { userId: 'u2', sessionId: 's1' }), // userId wins
        event('click', t), // anonymous
      ]);
      const s = await snapshot();
      expectUnique(s.uniqueVisitors, 4);
      expect(s.activeUsers).toBe(4);
    });

    it('drops an active user exactly activeWindowMs after its latest event', async () => {
      const { activeWindowMs } = await snapshot();
      const seen = clock.now();
      await record([pageView('a', seen)]);
      clock.set(seen + activeWindowMs - 1);
      expect((await snapshot()).activeUsers).toBe(1);
      clock.set(seen + activeWindowMs);
      const s = await snapshot();
      expect(s.activeUsers).toBe(0);
      expectUnique(s.uniqueVisitors, 1); // still seen this hour
    });

    it('keeps a returning user active from its latest event, not an older one arriving late', async () => {
      const { activeWindowMs } = await snapshot();
      const first = clock.now();
      await record([pageView('a', first)]);
      clock.advance(2 * MINUTE);
      await record([pageView('a', clock.now()), pageView('a', first - MINUTE)]);
      clock.set(first + activeWindowMs + MINUTE);
      expect((await snapshot()).activeUsers).toBe(1);
      clock.set(first + activeWindowMs + 2 * MINUTE);
      expect((await snapshot()).activeUsers).toBe(0);
    });

    it('rolls minute buckets over and zero-fills the minutes without events', async () => {
      await record([event('tick', clock.now())]);
      clock.advance(MINUTE);
      await record([event('tick', clock.now()), event('tick', clock.now())]);
      clock.advance(4 * MINUTE);
      await record([event('tick', clock.now())]);
      const counts = (await snapshot()).perMinute.slice(-6).map((m) => m.count);
      expect(counts).toEqual([1, 2, 0, 0, 0, 1]);
    });

    it('expires minutes, visitors and type counts as they leave the 60-minute window', async () => {
      const t0 = clock.now();
      await record([pageView('early', t0), event('rare', t0)]);
      clock.advance(30 * MINUTE);
      await record([pageView('late', clock.now())]);
      clock.set(EPOCH + 59 * MINUTE + 59 * SECOND); // the first minute is still the oldest bucket
      let s = await snapshot();
      expect(s.perMinute[0]).toEqual({ minute: EPOCH, count: 2 });
      expect(s.pageViews).toBe(2);
      expectUnique(s.uniqueVisitors, 2);
      expect(s.eventCounts).toEqual({ page_view: 2, rare: 1 });
      clock.set(EPOCH + 60 * MINUTE); // now it has left
      s = await snapshot();
      expect(s.pageViews).toBe(1);
      expectUnique(s.uniqueVisitors, 1);
      expect(s.eventCounts).toEqual({ page_view: 1 });
      expect(minutesTotal(s)).toBe(1);
      clock.advance(3 * 60 * MINUTE);
      s = await snapshot();
      expect(s).toMatchObject({ pageViews: 0, activeUsers: 0 });
      expectUnique(s.uniqueVisitors, 0);
      expect(s.eventCounts).toEqual({});
      expect(s.perMinute.every((m) => m.count === 0)).toBe(true);
    });

    it('clamps future timestamps to now and drops events older than the window', async () => {
      const now = clock.now();
      await record([
        pageView('future', now + 365 * 24 * 60 * MINUTE),
        pageView('oldest-kept', EPOCH - 59 * MINUTE),
        pageView('too-old', EPOCH - 59 * MINUTE - 1),
        pageView('seconds-not-ms', Math.floor(now / 1000)),
      ]);
      const s = await snapshot();
      expect(s.pageViews).toBe(2);
      expectUnique(s.uniqueVisitors, 2);
      expect(s.perMinute.at(-1)?.count).toBe(1); // the future event counts now
      expect(s.perMinute[0]?.count).toBe(1);
      expect(s.activeUsers).toBe(1); // only the clamped one is recent
    });

    it('never moves back in time when given an older now', async () => {
      await record([pageView('a', clock.now())]);
      const later = clock.now() + 90 * MINUTE;
      await store.snapshot(later);
      const s = await store.snapshot(clock.now());
      expect(s.at).toBe(later);
      expect(s.pageViews).toBe(0);
      await store.record([pageView('b', clock.now())], clock.now()); // older than the window at `later`
      expect((await store.snapshot(later)).pageViews).toBe(0);
    });

    it('names at most 1,000 event types and sums the rest under `other`', async () => {
      const t = clock.now();
      const types = Array.from({ length: 1_010 }, (_, i) => event(`type.${i}`, t));
      await record(types.slice(0, 500));
      await record(types.slice(500, 1_000));
      await record(types.slice(1_000), [event('type.0', t)]);
      const s = await snapshot();
      expect(Object.keys(s.eventCounts).length).toBeLessThanOrEqual(1_001);
      expect(totalOf(s.eventCounts)).toBe(1_011);
      expect(s.eventCounts.other).toBeGreaterThanOrEqual(10);
      expect(s.eventCounts['type.0']).toBe(2); // a type already named keeps counting under its name
    });

    it('records a 500-event batch with 500 visitors in one call', async () => {
      const t = clock.now();
      await record(Array.from({ length: 500 }, (_, i) => pageView(`user-${i}`, t - (i % 120) * SECOND)));
      const s = await snapshot();
      expect(s).toMatchObject({ pageViews: 500, activeUsers: 500 });
      expectUnique(s.uniqueVisitors, 500);
      expect(minutesTotal(s)).toBe(500);
    });
  });
}
