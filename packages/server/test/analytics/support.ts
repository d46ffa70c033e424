import type { AnalyticsStore } from '../../src/index';

export { createTestClock, EPOCH, event, minutesTotal, pageView, totalOf } from '@oxidite/test-utils';
export type { TestClock } from '@oxidite/test-utils';

/** A store that reports each `record` call (sizes in order), wrapping a real one. */
export function observeStore(store: AnalyticsStore): AnalyticsStore & {
  readonly batches: number[];
  nextRecord(timeout?: number): Promise<number>;
} {
  const batches: number[] = [];
  const waiters: ((size: number) => void)[] = [];
  return {
    batches,
    async record(events, now) {
      await store.record(events, now);
      batches.push(events.length);
      for (const waiter of waiters.splice(0)) waiter(events.length);
    },
    snapshot: (now) => store.snapshot(now),
    close: () => store.close(),
    nextRecord(timeout = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no record() within ${timeout} ms`)), timeout);
        waiters.push((size) => {
          clearTimeout(timer);
          resolve(size);
        });
      });
    },
  };
}
