import { type AnalyticsEvent, ErrorCode, RealtimeError } from '@oxidite/protocol';
import type { AnalyticsStore } from './analytics-store';

/** What {@link createEventQueue} needs. */
export interface EventQueueOptions {
  readonly store: AnalyticsStore;
  /** Most events per `store.record` call; a queue this long is flushed at once. */
  readonly batchSize: number;
  /** Most events waiting; a push past it is refused. */
  readonly maxPending: number;
  /** `retryAfter` (ms) of the `rate_limited` error of a refused push. */
  readonly retryAfter: number;
  readonly now: () => number;
  /** Receives the failure of a flush that no caller awaits (one started because the queue filled). */
  readonly onError: (error: unknown) => void;
}

/** Counters of an {@link EventQueue}. */
export interface EventQueueCounters {
  /** Events waiting for a flush (not counting a batch being recorded). */
  readonly pending: number;
  /** Events handed to the store successfully. */
  readonly flushed: number;
  /** Events the store failed to record (dropped: analytics is best-effort). */
  readonly failed: number;
  /** Events refused because `maxPending` were waiting. */
  readonly rejected: number;
}

/** Validated events waiting for the store, flushed in batches, one `record` at a time. */
export interface EventQueue {
  /** Appends events, all or none; throws `rate_limited` when they would pass `maxPending`. */
  push(events: readonly AnalyticsEvent[]): void;
  /** Records everything pending, in order, in batches; resolves when the queue is empty. */
  drain(): Promise<void>;
  counters(): EventQueueCounters;
}

/**
 * Creates the ingestion queue of the analytics service. A push only appends to an array, so
 * tracking never waits for the store; a queue that reaches `batchSize` schedules a flush on a
 * microtask, outside the caller's stack. Memory is bounded by `maxPending` plus one batch being
 * recorded.
 */
export function createEventQueue(options: EventQueueOptions): EventQueue {
  const { store, batchSize, maxPending, now } = options;
  let pending: AnalyticsEvent[] = [];
  let draining: Promise<void> | undefined;
  let isScheduled = false;
  let flushed = 0;
  let failed = 0;
  let rejected = 0;

  async function run(): Promise<void> {
    while (pending.length > 0) {
      let batch: AnalyticsEvent[];
      if (pending.length <= batchSize) {
        batch = pending;
        pending = [];
      } else {
        batch = pending.splice(0, batchSize);
      }
      try {
        await store.record(batch, now());
        flushed += batch.length;
      } catch (error) {
        // The batch is dropped, not re-queued: a failing store must not pin memory or loop.
        failed += batch.length;
        throw error;
      }
    }
  }

  function drain(): Promise<void> {
    if (!draining) {
      draining = run().finally(() => {
        draining = undefined;
      });
    }
    return draining;
  }

  function schedule(): void {
    if (isScheduled) return;
    isScheduled = true;
    queueMicrotask(() => {
      isScheduled = false;
      drain().catch(options.onError);
    });
  }

  return {
    push(events) {
      if (pending.length + events.length > maxPending) {
        rejected += events.length;
        throw new RealtimeError(ErrorCode.RATE_LIMITED, `analytics queue full: ${maxPending} events pending`, {
          retryAfter: options.retryAfter,
        });
      }
      for (const event of events) pending.push(event);
      if (pending.length >= batchSize) schedule();
    },
    drain,
    counters: () => ({ pending: pending.length, flushed, failed, rejected }),
  };
}
