import type { AnalyticsEvent, MetricsSnapshot } from '@oxidite/protocol';

// Event builders and a test clock for analytics tests (the contract suite and the stores' own tests).

/** A clock that moves only when told: the one fake these tests use. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** 2026-01-01T12:00:00Z: the start of a minute, so offsets read as minutes and seconds. */
export const EPOCH = Date.UTC(2026, 0, 1, 12, 0, 0);

export function createTestClock(start = EPOCH): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
    set(ms) {
      time = ms;
    },
  };
}

/** An event at `timestamp`, anonymous unless `userId`/`sessionId` are given. */
export function event(type: string, timestamp: number, extra: Partial<AnalyticsEvent> = {}): AnalyticsEvent {
  return { type, properties: {}, timestamp, ...extra };
}

/** A page view by `userId` at `timestamp`. */
export function pageView(userId: string, timestamp: number): AnalyticsEvent {
  return event('page_view', timestamp, { userId });
}

/** The sum of a snapshot's `eventCounts`. */
export function totalOf(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** The sum of a snapshot's `perMinute` counts. */
export function minutesTotal(snapshot: MetricsSnapshot): number {
  return snapshot.perMinute.reduce((sum, m) => sum + m.count, 0);
}
