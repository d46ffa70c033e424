import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index';

const DEFAULTS = { minDelay: 500, maxDelay: 30_000, factor: 2 };

/** `n` delays for `attempt`, drawn with Math.random. */
function draw(attempt: number, n = 1_000, options = DEFAULTS): number[] {
  return Array.from({ length: n }, () => backoffDelay(attempt, options));
}

describe('backoffDelay (full jitter)', () => {
  it('spreads 1,000 delays of attempt 5 across [0, minDelay·factor^5)', () => {
    const ceiling = 500 * 2 ** 5; // 16,000 ms
    const delays = draw(5);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(ceiling);
    // Spread: the extremes reach into the first and last 5% of the range, almost every value differs.
    expect(Math.min(...delays)).toBeLessThan(ceiling * 0.05);
    expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.95);
    expect(new Set(delays).size).toBeGreaterThan(900);
    // Each quarter of the range gets a fair share (expected 250 each).
    const quarters = [0, 0, 0, 0];
    for (const delay of delays) quarters[Math.floor((delay / ceiling) * 4)]!++;
    for (const count of quarters) expect(count).toBeGreaterThan(150);
  });

  it('grows the ceiling by `factor` per attempt, from minDelay', () => {
    const top = (attempt: number) => backoffDelay(attempt, DEFAULTS, () => 0.999_999);
    expect(top(0)).toBe(499);
    expect(top(1)).toBe(999);
    expect(top(3)).toBe(3_999);
    expect(backoffDelay(3, DEFAULTS, () => 0)).toBe(0);
    expect(backoffDelay(3, DEFAULTS, () => 0.5)).toBe(2_000);
  });

  it('caps the ceiling at maxDelay, also for absurd attempts', () => {
    for (const attempt of [10, 100, 10_000]) {
      const delays = draw(attempt, 200);
      expect(Math.max(...delays)).toBeLessThan(30_000);
      expect(Math.max(...delays)).toBeGreaterThan(20_000);
    }
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, DEFAULTS, () => 0.5)).toBe(15_000);
  });

  it('never returns NaN when the numbers are degenerate', () => {
    expect(backoffDelay(5, { minDelay: 0, maxDelay: 100, factor: 2 }, () => 0.5)).toBe(0);
    expect(backoffDelay(2_000, { minDelay: 0, maxDelay: 100, factor: 2 }, () => 0.5)).toBe(0);
    expect(backoffDelay(-3, DEFAULTS, () => 0.5)).toBe(250);
  });
});
