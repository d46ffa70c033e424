import { performance } from 'node:perf_hooks';
import { type BucketState, type RateDecision, type RateLimiter, type RateRule, takeTokens } from './rate-limiter';

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /**
   * Clock in milliseconds; only differences matter, so a monotonic clock is best (wall-clock
   * jumps would refill buckets early or late).
   * @default performance.now
   */
  readonly now?: () => number;
  /**
   * Most buckets kept. Past it the least recently used bucket is forgotten, and that key starts
   * full again: size it above the number of keys active within one refill period.
   * @default 100_000
   */
  readonly maxKeys?: number;
}

/** A {@link RateLimiter} for one process: synchronous, with bounded memory. */
export interface MemoryRateLimiter extends RateLimiter {
  consume(key: string, rule: RateRule, cost?: number): RateDecision;
  /** Buckets held right now (at most `maxKeys`; full buckets are not kept). */
  readonly size: number;
  /** Forgets every bucket. */
  clear(): void;
}

/**
 * Token buckets in a Map kept in least-recently-used order (a key is re-inserted on each use, so
 * the first key is the oldest). A bucket that is full after a call is dropped: it is equivalent
 * to a new key. The semantics are those documented in `rate-limiter.ts`.
 *
 * @example
 * const limiter = createMemoryRateLimiter();
 * const { allowed, retryAfter } = limiter.consume(`publish:${userId}`, { capacity: 20, refillPerSecond: 5 });
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 100_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be an integer >= 1');
  const buckets = new Map<string, BucketState>();

  return {
    consume(key, rule, cost = 1) {
      const { state, decision } = takeTokens(buckets.get(key), rule, cost, now());
      buckets.delete(key);
      if (state.tokens < rule.capacity) {
        buckets.set(key, state);
        if (buckets.size > maxKeys) {
          const oldest = buckets.keys().next();
          if (!oldest.done) buckets.delete(oldest.value);
        }
      }
      return decision;
    },
    get size() {
      return buckets.size;
    },
    clear() {
      buckets.clear();
    },
  };
}
