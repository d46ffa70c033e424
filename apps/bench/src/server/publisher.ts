import { monoMs } from '../shared/clock';
import { paceAtRate } from '../shared/pace';
import type { BenchServer } from './bench-server';

interface Flood {
  readonly total: number;
  readonly burst: number;
  readonly deadline: number;
  published: number;
  credit: number;
  isScheduled: boolean;
}

/**
 * Publishes from inside the server process, so the generator only receives. Two loops, both
 * bounded in count and time:
 * - `flood`: flat out, in bursts of `burst` messages per event-loop turn (`setImmediate`, so the
 *   server's own I/O runs between bursts), as far as the orchestrator's credit allows. The credit
 *   keeps the backlog bounded: without it every server would just buffer without limit.
 * - `rate`: a fixed rate, each message at its due time (drift-corrected timers).
 */
export class Publisher {
  readonly #server: BenchServer;
  #n = 0;
  #flood: Flood | undefined;

  constructor(server: BenchServer) {
    this.#server = server;
  }

  /** Starts a flood; messages go out as credit arrives. */
  flood(total: number, burst: number, maxMs: number): void {
    this.#flood = { total, burst, deadline: monoMs() + maxMs, published: 0, credit: 0, isScheduled: false };
  }

  /** Allows the flood to publish up to its message number `upTo`. */
  credit(upTo: number): void {
    const flood = this.#flood;
    if (!flood || upTo <= flood.credit) return;
    flood.credit = upTo;
    this.#schedule(flood);
  }

  /** Ends the flood; returns how many messages it published. */
  stopFlood(): number {
    const published = this.#flood?.published ?? 0;
    this.#flood = undefined;
    return published;
  }

  /** Publishes `rate` messages per second for `durationMs`; resolves with the number published. */
  rate(rate: number, durationMs: number): Promise<number> {
    return paceAtRate(rate, durationMs, () => this.#publish());
  }

  #publish(): void {
    this.#n++;
    this.#server.publish(this.#n, monoMs());
  }

  #schedule(flood: Flood): void {
    if (flood.isScheduled) return;
    flood.isScheduled = true;
    setImmediate(() => this.#burst(flood));
  }

  #burst(flood: Flood): void {
    flood.isScheduled = false;
    if (this.#flood !== flood) return;
    const limit = Math.min(flood.credit, flood.total);
    for (let i = 0; i < flood.burst && flood.published < limit; i++) {
      flood.published++;
      this.#publish();
    }
    if (monoMs() >= flood.deadline) flood.credit = flood.published; // time is up: publish no more
    if (flood.published < Math.min(flood.credit, flood.total)) this.#schedule(flood);
  }
}
