import { METRICS_WINDOW_MINUTES } from '@oxidite/protocol';
import { ANALYTICS_MINUTE_MS, analyticsMinuteStart } from './analytics-store';

/** The visitors whose latest event falls in one minute. */
interface VisitorBucket {
  /** Start of the minute, or -1 while the slot is unused. */
  minute: number;
  readonly visitors: Set<string>;
  /** Visitors forgotten from this bucket to respect `maxVisitors`; still counted as seen. */
  evicted: number;
  /**
   * Where eviction resumes. A fresh `values()` would walk again over every slot deleted before
   * it, making a run of evictions quadratic; a live iterator skips each hole once.
   */
  cursor: Iterator<string> | undefined;
}

/** Distinct visitors over the window, exact up to `maxVisitors`. */
export interface VisitorWindow {
  /** Records that `visitor` was seen at `time`, which must be inside the window. */
  touch(visitor: string, time: number): void;
  /** Forgets the visitors last seen before `start` (the window start). */
  expireBefore(start: number): void;
  /** Distinct visitors in the window. */
  unique(): number;
  /** Distinct visitors whose latest time is after `cutoff`; `cutoff` must be inside the window. */
  activeAfter(cutoff: number): number;
  /** Structure sizes, to check that memory stays bounded. */
  sizes(): { readonly visitors: number; readonly bucketVisitorEntries: number; readonly evictedVisitors: number };
  /** Forgets everything. */
  clear(): void;
}

const slotOf = (minute: number): number => {
  const index = Math.floor(minute / ANALYTICS_MINUTE_MS) % METRICS_WINDOW_MINUTES;
  return index < 0 ? index + METRICS_WINDOW_MINUTES : index;
};

/**
 * Creates the visitor half of the memory store: `lastSeen` maps each visitor to its latest time,
 * and each visitor sits in exactly one minute bucket, that of its latest time. Expiring a minute
 * drops its visitors in O(their number); a visitor who comes back moves to a newer bucket. Memory
 * holds at most `maxVisitors` visitors: past it the visitor seen longest ago is forgotten but still
 * counted (as a number in its bucket), so `unique` only over-counts when a forgotten visitor
 * returns within the hour, and `activeAfter` stays exact while active visitors fit.
 */
export function createVisitorWindow(maxVisitors: number): VisitorWindow {
  const buckets: VisitorBucket[] = Array.from({ length: METRICS_WINDOW_MINUTES }, () => ({
    minute: -1,
    visitors: new Set<string>(),
    evicted: 0,
    cursor: undefined,
  }));
  const lastSeen = new Map<string, number>();
  let evictedVisitors = 0;
  /** The oldest non-empty bucket, remembered between evictions (a full store evicts on every new visitor). */
  let oldestHint: VisitorBucket | undefined;

  function expire(bucket: VisitorBucket): void {
    if (bucket === oldestHint) oldestHint = undefined;
    for (const visitor of bucket.visitors) lastSeen.delete(visitor);
    bucket.visitors.clear();
    bucket.minute = -1;
    bucket.evicted = 0;
    bucket.cursor = undefined;
  }

  function bucketFor(minute: number): VisitorBucket {
    const bucket = buckets[slotOf(minute)] as VisitorBucket;
    if (bucket.minute !== minute) {
      if (bucket.minute !== -1) expire(bucket);
      bucket.minute = minute;
    }
    // A late event can fill a bucket older than the remembered oldest one.
    if (oldestHint !== undefined && minute < oldestHint.minute) oldestHint = undefined;
    return bucket;
  }

  /** Forgets one visitor of the oldest non-empty bucket (the one seen longest ago, give or take a minute). */
  function evictOldest(): void {
    let oldest = oldestHint !== undefined && oldestHint.visitors.size > 0 ? oldestHint : undefined;
    if (!oldest) {
      for (const bucket of buckets) {
        if (bucket.visitors.size > 0 && (oldest === undefined || bucket.minute < oldest.minute)) oldest = bucket;
      }
    }
    oldestHint = oldest;
    if (!oldest) return;
    let first = oldest.cursor?.next();
    if (!first || first.done) {
      oldest.cursor = oldest.visitors.values();
      first = oldest.cursor.next();
    }
    if (first.done) return;
    oldest.visitors.delete(first.value);
    lastSeen.delete(first.value);
    oldest.evicted++;
    evictedVisitors++;
  }

  return {
    touch(visitor, time) {
      const previous = lastSeen.get(visitor);
      if (previous === undefined) {
        if (lastSeen.size >= maxVisitors) evictOldest();
        lastSeen.set(visitor, time);
        bucketFor(analyticsMinuteStart(time)).visitors.add(visitor);
        return;
      }
      if (time <= previous) return;
      lastSeen.set(visitor, time);
      const from = analyticsMinuteStart(previous);
      const to = analyticsMinuteStart(time);
      if (from === to) return;
      buckets[slotOf(from)]?.visitors.delete(visitor);
      bucketFor(to).visitors.add(visitor);
    },
    expireBefore(start) {
      for (const bucket of buckets) {
        if (bucket.minute !== -1 && bucket.minute < start) expire(bucket);
      }
    },
    unique() {
      let evicted = 0;
      for (const bucket of buckets) evicted += bucket.evicted;
      return lastSeen.size + evicted;
    },
    activeAfter(cutoff) {
      let active = 0;
      for (const bucket of buckets) {
        if (bucket.minute === -1 || bucket.minute + ANALYTICS_MINUTE_MS <= cutoff) continue;
        if (bucket.minute > cutoff) {
          active += bucket.visitors.size + bucket.evicted;
          continue;
        }
        // The bucket that straddles the cutoff: only here do exact times matter.
        for (const visitor of bucket.visitors) {
          if ((lastSeen.get(visitor) ?? cutoff) > cutoff) active++;
        }
      }
      return active;
    },
    sizes() {
      let entries = 0;
      for (const bucket of buckets) entries += bucket.visitors.size;
      return { visitors: lastSeen.size, bucketVisitorEntries: entries, evictedVisitors };
    },
    clear() {
      for (const bucket of buckets) expire(bucket);
      oldestHint = undefined;
      lastSeen.clear();
      evictedVisitors = 0;
    },
  };
}
