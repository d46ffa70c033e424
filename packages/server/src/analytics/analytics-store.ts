/**
 * Where analytics events are aggregated. The semantics below are the contract of every
 * {@link AnalyticsStore} (the in-memory one here, a Redis one with HyperLogLog, sorted sets and
 * hashes); `test/analytics/store-contract.ts` checks them. Keep them in step.
 *
 * - Time is the `now` passed to each call, never a clock of the store's own. A `now` older than
 *   one already seen counts as the latest one seen: the store's time never runs backwards.
 * - The window is the last 60 whole minutes, the current one included: minute buckets start at
 *   multiples of 60,000 ms, and a bucket leaves the window when the current minute is 60 later.
 * - An event's time is its `timestamp`, clamped to `now` when in the future (a sender's clock
 *   that runs ahead; nothing can arrive before it happened). An event older than the window
 *   (including timestamps in seconds, read as 1970) is dropped: no windowed metric can hold it.
 * - Visitor of an event: `u:` + `userId`, else `s:` + `sessionId`, else none (anonymous events
 *   count everywhere except in `uniqueVisitors` and `activeUsers`).
 * - `pageViews`, `eventCounts`, `perMinute` and `uniqueVisitors` cover the window; `activeUsers`
 *   counts visitors whose latest event time is within `activeWindowMs` (`time > now - window`).
 * - `eventCounts` names at most `maxEventTypes` distinct types at a time (the first seen while
 *   there is room); events of further types are summed under `other` until room frees up.
 * - The store trusts its input: the service validates events before they get here.
 */
import { type AnalyticsEvent, METRICS_WINDOW_MINUTES, type MetricsSnapshot } from '@oxidite/protocol';

/** Milliseconds in a minute bucket. */
export const ANALYTICS_MINUTE_MS = 60_000;

/** The key under which event types beyond the cap are counted. */
export const OTHER_EVENT_TYPE = 'other';

/** The event type counted as a page view. */
export const PAGE_VIEW_EVENT_TYPE = 'page_view';

/** Aggregates analytics events into live metrics. Implementations may be remote. */
export interface AnalyticsStore {
  /** Adds validated events, as of `now` (ms). Cheap for a batch of 500: no per-event I/O. */
  record(events: readonly AnalyticsEvent[], now: number): Promise<void>;
  /** The metrics as of `now` (ms). */
  snapshot(now: number): Promise<MetricsSnapshot>;
  /** Releases timers and connections the store owns. */
  close(): Promise<void>;
}

/** Start of the minute bucket holding `time` (ms). */
export function analyticsMinuteStart(time: number): number {
  return Math.floor(time / ANALYTICS_MINUTE_MS) * ANALYTICS_MINUTE_MS;
}

/** Start of the oldest minute bucket still in the window at `now`. */
export function analyticsWindowStart(now: number): number {
  return analyticsMinuteStart(now) - (METRICS_WINDOW_MINUTES - 1) * ANALYTICS_MINUTE_MS;
}

/**
 * The time an event counts at, as of `now`: its timestamp clamped to `now`, or undefined when it
 * is older than the window (the event is dropped).
 */
export function analyticsEventTime(event: AnalyticsEvent, now: number): number | undefined {
  const time = Math.min(event.timestamp, now);
  return time >= analyticsWindowStart(now) ? time : undefined;
}

/** The visitor an event belongs to (`u:<userId>`, else `s:<sessionId>`), or undefined if anonymous. */
export function analyticsVisitorKey(event: AnalyticsEvent): string | undefined {
  if (event.userId !== undefined) return `u:${event.userId}`;
  if (event.sessionId !== undefined) return `s:${event.sessionId}`;
  return undefined;
}
