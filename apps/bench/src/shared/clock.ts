/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC via `process.hrtime`), with
 * sub-microsecond resolution. Every process on the machine reads the same clock, so a timestamp
 * written by the server and read by the generator gives a true one-way latency.
 */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes; resolves with whether
 * it held. Bounded in time: never waits past the deadline.
 */
export async function waitFor(condition: () => boolean, timeoutMs: number, intervalMs = 2): Promise<boolean> {
  const deadline = monoMs() + timeoutMs;
  while (!condition()) {
    if (monoMs() >= deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}
