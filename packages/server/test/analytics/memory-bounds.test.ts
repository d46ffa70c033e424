import type { AnalyticsEvent } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { createAnalyticsService, createMemoryAnalyticsStore, type MemoryAnalyticsStore } from '../../src/index';
import { createTestClock, minutesTotal, totalOf } from './support';

const TOTAL = 1_000_000;
const BATCH = 500;
/** Two simulated hours: every bucket, visitor and type is expired at least once. */
const SPAN_MS = 2 * 60 * 60_000;
const STEP_MS = SPAN_MS / TOTAL;
const VISITOR_SPACE = 250_000;
const TYPE_SPACE = 1_500;
const PROPERTIES = { path: '/pricing', referrer: 'search', logged: true };

/** Event `i` of the run: 250k visitors (more than the 100k held), 1,500 types (more than the 1,000 named). */
function eventAt(i: number, timestamp: number): AnalyticsEvent {
  const visitor = (i * 7_919) % VISITOR_SPACE;
  const type = i % 3 === 0 ? 'page_view' : `feature.${(i * 31) % TYPE_SPACE}`;
  return i % 5 === 0
    ? { type, sessionId: `s-${visitor}`, properties: PROPERTIES, timestamp }
    : { type, userId: `user-${visitor}`, properties: PROPERTIES, timestamp };
}

function expectBounded(store: MemoryAnalyticsStore): void {
  const stats = store.stats();
  expect(stats.buckets).toBeLessThanOrEqual(60);
  expect(stats.visitors).toBeLessThanOrEqual(100_000);
  expect(stats.bucketVisitorEntries).toBe(stats.visitors);
  expect(stats.eventTypes).toBeLessThanOrEqual(1_000);
  expect(stats.bucketTypeEntries).toBeLessThanOrEqual(60 * 1_000);
}

function heapMb(): number {
  return Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
}

describe('memory bounds under a flood of events', () => {
  it('via the store, 1,000,000 events: every structure stays within its bound', async () => {
    const clock = createTestClock();
    const store = createMemoryAnalyticsStore();
    const heapBefore = heapMb();
    for (let start = 0; start < TOTAL; start += BATCH) {
      const batch: AnalyticsEvent[] = [];
      for (let i = start; i < start + BATCH; i++) batch.push(eventAt(i, clock.now() + (i - start) * STEP_MS));
      clock.advance(BATCH * STEP_MS);
      await store.record(batch, clock.now());
      if ((start / BATCH) % 100 === 0) expectBounded(store);
    }
    expectBounded(store);
    const snapshot = await store.snapshot(clock.now());
    expect(minutesTotal(snapshot)).toBe(totalOf(snapshot.eventCounts));
    // The window is the last 59 whole minutes plus the current one (just begun): 59/120 of the run.
    expect(minutesTotal(snapshot)).toBeGreaterThan((TOTAL * 59) / 120 - BATCH);
    expect(minutesTotal(snapshot)).toBeLessThanOrEqual((TOTAL * 60) / 120);
    expect(Object.keys(snapshot.eventCounts).length).toBeLessThanOrEqual(1_001);
    expect(store.stats().droppedEvents).toBe(0);
    console.log('memory store after 1M events:', store.stats(), `heap ${heapBefore} → ${heapMb()} MB`);
  }, 60_000);

  it('via the service, 200,000 events (validation, batching, flushes): the queue and the store stay bounded', async () => {
    const clock = createTestClock();
    const store = createMemoryAnalyticsStore();
    const service = createAnalyticsService({ store, now: clock.now, flushInterval: 0, publishInterval: 0 });
    const total = 200_000;
    for (let start = 0; start < total; start += BATCH) {
      const batch: AnalyticsEvent[] = [];
      for (let i = start; i < start + BATCH; i++) batch.push(eventAt(i, clock.now()));
      service.trackBatch(batch);
      clock.advance(BATCH * STEP_MS);
      if ((start / BATCH) % 10 === 9) await service.flush();
      expect(service.stats().pending).toBeLessThanOrEqual(10_000);
    }
    await service.flush();
    expectBounded(store);
    expect(service.stats()).toMatchObject({ tracked: total, flushed: total, pending: 0, rejected: 0, failed: 0 });
    await service.close();
  }, 60_000);
});
