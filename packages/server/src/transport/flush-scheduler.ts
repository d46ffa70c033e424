import { performance } from 'node:perf_hooks';

/** What a {@link FlushScheduler} flushes: a queue holding a batch for its link. */
export interface Flushable {
  /** Writes the batch to the link now. */
  flushQueue(): void;
}

/** Options of {@link createFlushScheduler}. */
export interface FlushSchedulerOptions {
  /**
   * Longest run of flushes before yielding to I/O and timers (`setImmediate`): the bound on the
   * event-loop delay one fan-out adds.
   * @default 5
   */
  readonly sliceMs?: number | undefined;
  /** The clock, in ms. @default `performance.now` */
  readonly now?: (() => number) | undefined;
}

/**
 * Writes the batches of many queues in slices, so that one fan-out never blocks the event loop
 * for long (issue #18, goal 5: a message to 10,000 sockets is 10,000 system calls, 100–400 ms in
 * one synchronous pass). The first slice runs on `process.nextTick`, as Node's `http` batches, so
 * a small fan-out leaves in the same tick as before; the rest follows in `setImmediate` slices,
 * with I/O (heartbeats, RPCs, reads) served in between. Queues flush in the order they filled
 * (first come, first written), and what is pushed to a queue still waiting joins its batch: a
 * busy server writes bigger batches, not more of them. Each queue keeps its own order, so the
 * order per connection (and per topic per connection) is untouched.
 */
export interface FlushScheduler {
  /** Flushes `queue` soon; call once per batch (when its first item arrives). */
  schedule(queue: Flushable): void;
}

const DEFAULT_SLICE_MS = 5;

/** Creates a {@link FlushScheduler}; transports share {@link flushScheduler}. */
export function createFlushScheduler(options: FlushSchedulerOptions = {}): FlushScheduler {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const now = options.now ?? (() => performance.now());
  let waiting: Flushable[] = [];
  let isScheduled = false;

  const run = (): void => {
    const queues = waiting;
    const deadline = now() + sliceMs;
    let i = 0;
    try {
      while (i < queues.length) {
        (queues[i++] as Flushable).flushQueue();
        if (now() >= deadline) break;
      }
    } finally {
      // Queues that filled during this slice were appended to `queues` (it is still `waiting`).
      // Even if a flush threw, the others must still be written.
      if (i >= queues.length) {
        waiting = [];
        isScheduled = false;
      } else {
        waiting = queues.slice(i);
        setImmediate(run);
      }
    }
  };

  return {
    schedule(queue) {
      waiting.push(queue);
      if (isScheduled) return;
      isScheduled = true;
      process.nextTick(run);
    },
  };
}

/** The process-wide scheduler: every transport's queues share the event loop, so they share its slices. */
export const flushScheduler: FlushScheduler = createFlushScheduler();
