/** Latency samples (ms) in a preallocated buffer: bounded memory however long the run. */
export class LatencyRecorder {
  readonly #samples: Float64Array;
  #count = 0;
  /** Samples that did not fit. */
  overflow = 0;

  constructor(capacity: number) {
    this.#samples = new Float64Array(capacity);
  }

  add(ms: number): void {
    if (this.#count < this.#samples.length) this.#samples[this.#count++] = ms;
    else this.overflow++;
  }

  get count(): number {
    return this.#count;
  }

  /** The p-th percentiles (0–100) of the samples, NaN when there are none. */
  percentiles(...ps: number[]): number[] {
    const sorted = this.#samples.subarray(0, this.#count).sort();
    return ps.map((p) =>
      sorted.length === 0
        ? Number.NaN
        : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number),
    );
  }
}

const T_KEY = Buffer.from('"t":');

/**
 * Reads the `t` field (monotonic send time) out of a raw JSON frame without parsing the frame:
 * the generator must stay cheap next to the server it measures.
 */
export function extractSendTime(frame: Buffer): number {
  const at = frame.indexOf(T_KEY);
  if (at < 0) return Number.NaN;
  let end = at + T_KEY.length;
  while (end < frame.length && frame[end] !== 0x2c && frame[end] !== 0x7d) end++;
  return Number(frame.toString('latin1', at + T_KEY.length, end));
}
