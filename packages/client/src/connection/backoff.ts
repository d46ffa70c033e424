/** The exponential part of the reconnect schedule. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay, in ms. */
  readonly minDelay: number;
  /** Highest ceiling, in ms. */
  readonly maxDelay: number;
  /** Growth of the ceiling per attempt. */
  readonly factor: number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry): "full jitter",
 * `random(0, min(maxDelay, minDelay · factor^attempt))`. Without jitter every client that lost
 * the same server retries at the same instants and the thundering herd knocks it over again
 * (see "Exponential Backoff And Jitter", AWS Architecture Blog, 2015). Pure: pass `random` to test.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  // Huge attempts overflow to Infinity and settle on maxDelay; a zero minDelay stays zero (not 0·∞ = NaN).
  const grown = options.minDelay > 0 ? options.minDelay * options.factor ** Math.max(0, attempt) : 0;
  const ceiling = Math.min(options.maxDelay, grown);
  return Math.floor(random() * ceiling);
}

/** The reason of the final close after `maxRetries` failed attempts; `last` is the last attempt's reason, if any. */
export function gaveUp(maxRetries: number, last: string): string {
  return `gave up after ${maxRetries} retries${last ? `: ${last}` : ''}`;
}
