import { describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimiter } from '../../src/security/memory-rate-limiter';
import type { RateRule } from '../../src/security/rate-limiter';

const RULE: RateRule = { capacity: 3, refillPerSecond: 1 };

/** A limiter on a clock the test moves by hand. */
function setup(maxKeys?: number) {
  let time = 1_000_000;
  const limiter = createMemoryRateLimiter({ now: () => time, ...(maxKeys === undefined ? {} : { maxKeys }) });
  return {
    limiter,
    advance(ms: number) {
      time += ms;
    },
  };
}

describe('createMemoryRateLimiter', () => {
  it('allows the burst, then refuses with the exact wait', () => {
    const { limiter } = setup();
    expect([1, 2, 3].map(() => limiter.consume('k', RULE).allowed)).toEqual([true, true, true]);
    expect(limiter.consume('k', RULE)).toEqual({ allowed: false, remaining: 0, retryAfter: 1000 });
  });

  it('refills with time', () => {
    const { limiter, advance } = setup();
    limiter.consume('k', RULE, 3);
    advance(400);
    expect(limiter.consume('k', RULE)).toEqual({ allowed: false, remaining: 0, retryAfter: 600 });
    advance(600);
    expect(limiter.consume('k', RULE)).toEqual({ allowed: true, remaining: 0, retryAfter: 0 });
  });

  it('charges a cost greater than 1', () => {
    const { limiter, advance } = setup();
    expect(limiter.consume('k', RULE, 2)).toEqual({ allowed: true, remaining: 1, retryAfter: 0 });
    expect(limiter.consume('k', RULE, 3)).toEqual({ allowed: false, remaining: 1, retryAfter: 2000 });
    advance(2000);
    expect(limiter.consume('k', RULE, 3)).toEqual({ allowed: true, remaining: 0, retryAfter: 0 });
  });

  it('keeps keys independent', () => {
    const { limiter } = setup();
    limiter.consume('a', RULE, 3);
    expect(limiter.consume('a', RULE).allowed).toBe(false);
    expect(limiter.consume('b', RULE)).toEqual({ allowed: true, remaining: 2, retryAfter: 0 });
  });

  it('drops buckets that are full again', () => {
    const { limiter, advance } = setup();
    limiter.consume('k', RULE);
    expect(limiter.size).toBe(1);
    advance(1000);
    expect(limiter.consume('k', RULE, 0)).toEqual({ allowed: true, remaining: 3, retryAfter: 0 });
    expect(limiter.size).toBe(0);
  });

  it('evicts the least recently used bucket past maxKeys', () => {
    const { limiter } = setup(2);
    limiter.consume('a', RULE, 3);
    limiter.consume('b', RULE, 3);
    limiter.consume('a', RULE); // refused, but `a` is now the most recently used
    limiter.consume('c', RULE, 3);
    expect(limiter.size).toBe(2);
    expect(limiter.consume('a', RULE).allowed).toBe(false);
    expect(limiter.consume('b', RULE)).toEqual({ allowed: true, remaining: 2, retryAfter: 0 });
  });

  it('stays within maxKeys under a flood of 1,000,000 distinct keys', () => {
    const { limiter } = setup(1000);
    for (let i = 0; i < 1_000_000; i++) {
      limiter.consume(`flood:${i}`, RULE);
      if (limiter.size > 1000) throw new Error(`size ${limiter.size} after ${i + 1} keys`);
    }
    expect(limiter.size).toBe(1000);
  });

  it('clear() forgets every bucket', () => {
    const { limiter } = setup();
    limiter.consume('k', RULE, 3);
    limiter.clear();
    expect(limiter.size).toBe(0);
    expect(limiter.consume('k', RULE).allowed).toBe(true);
  });

  it('leaves the bucket untouched when the rule is invalid', () => {
    const { limiter } = setup();
    limiter.consume('k', RULE, 3);
    expect(() => limiter.consume('k', { capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(limiter.consume('k', RULE).allowed).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN])('throws a RangeError for maxKeys %s', (maxKeys) => {
    expect(() => createMemoryRateLimiter({ maxKeys })).toThrow(RangeError);
  });

  it('works on its default monotonic clock', () => {
    const limiter = createMemoryRateLimiter();
    expect(limiter.consume('k', { capacity: 1, refillPerSecond: 0 }).allowed).toBe(true);
    expect(limiter.consume('k', { capacity: 1, refillPerSecond: 0 })).toEqual({
      allowed: false,
      remaining: 0,
      retryAfter: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe('createMemoryRateLimiter sweep (issue #25: keys from unique addresses must not stay)', () => {
  it('forgets buckets that refilled since, without waiting for their key to come back', () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const limiter = createMemoryRateLimiter({ now: () => clock, sweepInterval: 1_000 });
      for (let i = 0; i < 50; i++) limiter.consume(`connect:10.0.0.${i}`, { capacity: 2, refillPerSecond: 1 });
      limiter.consume('slow', { capacity: 10, refillPerSecond: 0.001 });
      expect(limiter.size).toBe(51);
      clock = 1_500; // the 50 address buckets are full again after 1 s; `slow` is not
      vi.advanceTimersByTime(1_000);
      expect(limiter.size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
