import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoopDelay } from '../shared/ipc';

/** Timer resolution of the monitor (Node's default): a pass that blocks the loop shows as one late tick. */
const RESOLUTION_MS = 10;

/**
 * The event-loop delay of this process over a window: what every other connection's heartbeat,
 * RPC or publish waits while the server is busy in one synchronous pass.
 */
export class LoopDelayWindow {
  #histogram: IntervalHistogram | undefined;

  start(): void {
    this.#histogram?.disable();
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#histogram.enable();
  }

  stop(): LoopDelay {
    const histogram = this.#histogram;
    if (!histogram) throw new Error('loop-delay window not started');
    histogram.disable();
    this.#histogram = undefined;
    // The histogram records nanoseconds.
    return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
  }
}
