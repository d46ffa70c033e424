import { METRICS_WINDOW_MINUTES, type MinuteCount } from '@oxidite/protocol';
import { ANALYTICS_MINUTE_MS, analyticsMinuteStart, OTHER_EVENT_TYPE, PAGE_VIEW_EVENT_TYPE } from './analytics-store';

/** The events of one minute. */
interface EventBucket {
  /** Start of the minute, or -1 while the slot is unused. */
  minute: number;
  count: number;
  pageViews: number;
  /** Events of types past the cap. */
  overflow: number;
  /** Events by named type. */
  readonly byType: Map<string, number>;
}

/** Event counts over the window: a ring of minute buckets plus running totals. */
export interface EventWindow {
  /** Counts one event of `type` at `time`, which must be inside the window. */
  add(type: string, time: number): void;
  /** Forgets the buckets of minutes before `start`, taking them out of the totals. */
  expireBefore(start: number): void;
  /** Page views in the window. */
  readonly pageViews: number;
  /** Events by type in the window, types past the cap summed under `other`. */
  counts(): Record<string, number>;
  /** The 60 minutes from `start`, zero-filled. */
  perMinute(start: number): MinuteCount[];
  /** Structure sizes, to check that memory stays bounded. */
  sizes(): { readonly buckets: number; readonly eventTypes: number; readonly bucketTypeEntries: number };
  /** Forgets everything. */
  clear(): void;
}

const slotOf = (minute: number): number => {
  const index = Math.floor(minute / ANALYTICS_MINUTE_MS) % METRICS_WINDOW_MINUTES;
  return index < 0 ? index + METRICS_WINDOW_MINUTES : index;
};

/**
 * Creates the event half of the memory store. Memory is bounded by the window and the cap:
 * 60 buckets of at most `maxEventTypes` entries each, plus one running total per named type.
 */
export function createEventWindow(maxEventTypes: number): EventWindow {
  const buckets: EventBucket[] = Array.from({ length: METRICS_WINDOW_MINUTES }, () => ({
    minute: -1,
    count: 0,
    pageViews: 0,
    overflow: 0,
    byType: new Map<string, number>(),
  }));
  const totals = new Map<string, number>();
  let overflow = 0;
  let pageViews = 0;

  function expire(bucket: EventBucket): void {
    for (const [type, count] of bucket.byType) {
      const left = (totals.get(type) ?? 0) - count;
      if (left > 0) totals.set(type, left);
      else totals.delete(type);
    }
    overflow -= bucket.overflow;
    pageViews -= bucket.pageViews;
    bucket.byType.clear();
    bucket.minute = -1;
    bucket.count = 0;
    bucket.pageViews = 0;
    bucket.overflow = 0;
  }

  function bucketFor(minute: number): EventBucket {
    const bucket = buckets[slotOf(minute)] as EventBucket;
    if (bucket.minute !== minute) {
      // Only a bucket at least 60 minutes old can share the slot: it is out of the window.
      if (bucket.minute !== -1) expire(bucket);
      bucket.minute = minute;
    }
    return bucket;
  }

  return {
    add(type, time) {
      const bucket = bucketFor(analyticsMinuteStart(time));
      bucket.count++;
      if (type === PAGE_VIEW_EVENT_TYPE) {
        bucket.pageViews++;
        pageViews++;
      }
      const total = totals.get(type);
      if (total !== undefined || totals.size < maxEventTypes) {
        totals.set(type, (total ?? 0) + 1);
        bucket.byType.set(type, (bucket.byType.get(type) ?? 0) + 1);
      } else {
        bucket.overflow++;
        overflow++;
      }
    },
    expireBefore(start) {
      for (const bucket of buckets) {
        if (bucket.minute !== -1 && bucket.minute < start) expire(bucket);
      }
    },
    get pageViews() {
      return pageViews;
    },
    counts() {
      const counts = Object.fromEntries(totals);
      if (overflow > 0) counts[OTHER_EVENT_TYPE] = (counts[OTHER_EVENT_TYPE] ?? 0) + overflow;
      return counts;
    },
    perMinute(start) {
      const minutes: MinuteCount[] = [];
      for (let i = 0; i < METRICS_WINDOW_MINUTES; i++) {
        const minute = start + i * ANALYTICS_MINUTE_MS;
        const bucket = buckets[slotOf(minute)] as EventBucket;
        minutes.push({ minute, count: bucket.minute === minute ? bucket.count : 0 });
      }
      return minutes;
    },
    sizes() {
      let used = 0;
      let entries = 0;
      for (const bucket of buckets) {
        if (bucket.minute !== -1) used++;
        entries += bucket.byType.size;
      }
      return { buckets: used, eventTypes: totals.size, bucketTypeEntries: entries };
    },
    clear() {
      for (const bucket of buckets) expire(bucket);
      totals.clear();
      overflow = 0;
      pageViews = 0;
    },
  };
}
