import { ErrorCode, METRICS_WINDOW_MINUTES, type MetricsSnapshot, RealtimeError } from '@oxidite/protocol';
import {
  type AnalyticsStore,
  analyticsEventTime,
  analyticsVisitorKey,
  ANALYTICS_MINUTE_MS,
  analyticsWindowStart,
} from './analytics-store';
import { createEventWindow } from './event-window';
import { createVisitorWindow } from './visitor-window';

/** Options of {@link createMemoryAnalyticsStore}. */
export interface MemoryAnalyticsStoreOptions {
  /**
   * Span of `activeUsers`, in ms: a visitor is active while its latest event is younger than this.
   * At most 59 minutes, so that it always fits in the retained window.
   * @default 300_000 (5 minutes)
   */
  readonly activeWindowMs?: number | undefined;
  /**
   * Most distinct visitors held in the window. Counts are exact below it; past it the visitor seen
   * longest ago is forgotten but stays counted, so a forgotten visitor who returns within the hour
   * counts twice in `uniqueVisitors`. About 110 bytes per visitor with a short id (11 MB for 100,000).
   * @default 100_000
   */
  readonly maxVisitors?: number | undefined;
  /**
   * Most distinct event types named in `eventCounts` at a time; events of further types are
   * summed under `other` until a type leaves the window and frees room. At the cap, with every
   * type in all 60 minutes: about 4.5 MB.
   * @default 1_000
   */
  readonly maxEventTypes?: number | undefined;
}

/** Sizes of the store's structures: every one of them is bounded whatever the input. */
export interface MemoryAnalyticsStoreStats {
  /** Minute buckets in use (at most 60). */
  readonly buckets: number;
  /** Named event types in the window (at most `maxEventTypes`). */
  readonly eventTypes: number;
  /** Type counters across all minute buckets (at most 60 × `maxEventTypes`). */
  readonly bucketTypeEntries: number;
  /** Visitors held (at most `maxVisitors`). */
  readonly visitors: number;
  /** Visitor entries across minute buckets: always equal to `visitors` (each sits in one bucket). */
  readonly bucketVisitorEntries: number;
  /** Visitors forgotten to respect `maxVisitors`, since the store was created. */
  readonly evictedVisitors: number;
  /** Events dropped because their time was older than the window, since the store was created. */
  readonly droppedEvents: number;
}

/** The in-process {@link AnalyticsStore}, with its structure sizes for tests and benchmarks. */
export interface MemoryAnalyticsStore extends AnalyticsStore {
  /** Sizes of the internal structures. */
  stats(): MemoryAnalyticsStoreStats;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  return value;
}

/**
 * An exact, bounded, single-process analytics store: a ring of 60 minute buckets for event counts
 * and a visitor map keyed by latest sighting. `record` is O(events), allocating only the visitor
 * key and new map entries, so a 500-event batch costs tens of microseconds. Semantics: see
 * `analytics-store.ts`.
 *
 * @example
 * const store = createMemoryAnalyticsStore({ activeWindowMs: 120_000 });
 * await store.record([{ type: 'page_view', userId: 'u1', properties: {}, timestamp: Date.now() }], Date.now());
 * const { pageViews, activeUsers } = await store.snapshot(Date.now());
 */
export function createMemoryAnalyticsStore(options: MemoryAnalyticsStoreOptions = {}): MemoryAnalyticsStore {
  const activeWindowMs = options.activeWindowMs ?? 300_000;
  const maxActiveWindow = (METRICS_WINDOW_MINUTES - 1) * ANALYTICS_MINUTE_MS;
  if (!Number.isFinite(activeWindowMs) || activeWindowMs <= 0 || activeWindowMs > maxActiveWindow) {
    throw new RangeError(`activeWindowMs must be > 0 and <= ${maxActiveWindow}, got ${activeWindowMs}`);
  }
  const events = createEventWindow(positiveInteger('maxEventTypes', options.maxEventTypes ?? 1_000));
  const visitors = createVisitorWindow(positiveInteger('maxVisitors', options.maxVisitors ?? 100_000));
  let clock = Number.NEGATIVE_INFINITY;
  let droppedEvents = 0;
  let isClosed = false;

  /** Moves the store's time to `now` (never backwards) and expires what left the window. */
  function advance(now: number): number {
    if (isClosed) throw new RealtimeError(ErrorCode.INTERNAL, 'analytics store is closed');
    if (now > clock) clock = now;
    const start = analyticsWindowStart(clock);
    events.expireBefore(start);
    visitors.expireBefore(start);
    return start;
  }

  return {
    async record(batch, now) {
      advance(now);
      for (const event of batch) {
        const time = analyticsEventTime(event, clock);
        if (time === undefined) {
          droppedEvents++;
          continue;
        }
        events.add(event.type, time);
        const visitor = analyticsVisitorKey(event);
        if (visitor !== undefined) visitors.touch(visitor, time);
      }
    },
    async snapshot(now): Promise<MetricsSnapshot> {
      const start = advance(now);
      return {
        at: clock,
        pageViews: events.pageViews,
        uniqueVisitors: visitors.unique(),
        activeUsers: visitors.activeAfter(clock - activeWindowMs),
        activeWindowMs,
        eventCounts: events.counts(),
        perMinute: events.perMinute(start),
      };
    },
    stats() {
      return { ...events.sizes(), ...visitors.sizes(), droppedEvents };
    },
    async close() {
      isClosed = true;
      events.clear();
      visitors.clear();
    },
  };
}
