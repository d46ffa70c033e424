import { performance } from 'node:perf_hooks';
import { type BucketState, type RateDecision, type RateLimiter, type RateRule, takeTokens } from './rate-limiter';

/** Options of {@link createMemoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /**
   * Clock in milliseconds; only differences matter, so a monotonic clock is best (wall-clock
   * jumps would refill buckets early or late).
   * @default performance.now
   */
  readonly now?: (() => number) | undefined;
  /**
   * Most buckets kept. Past it the least recently used bucket is forgotten, and that key starts
   * full again: size it above the number of keys active within one refill period.
   * @default 100_000
   */
  readonly maxKeys?: number | undefined;
  /**
   * How often buckets that have refilled to full (equivalent to no bucket) are forgotten, in ms:
   * without it, keys from addresses and users seen once would stay until `maxKeys` pushed them out.
   * @default 60_000
   */
  readonly sweepInterval?: number | undefined;
}

/** A bucket and the time at which it is full again (then it can be forgotten). */
interface Entry extends BucketState {
  readonly fullAt: number;
}

const monotonic = (): number => performance.now();

/**
 * Forgets full buckets every `interval` ms. Defined outside the limiter's scope, so that the timer
 * holds the map only through a WeakRef: a limiter nobody uses any more is collected, timer and all
 * (a closure made inside the limiter would share its scope and keep the map alive).
 */
function sweepWeakly(buckets: Map<string, Entry>, now: () => number, interval: number): void {
  const weak = new WeakRef(buckets);
  const timer = setInterval(() => {
    const live = weak.deref();
    if (!live) return clearInterval(timer);
    const at = now();
    for (const [key, entry] of live) if (entry.fullAt <= at) live.delete(key);
  }, interval);
  timer.unref?.();
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
 * to a new key; a sweep forgets buckets that refilled since. Memory is bounded by `maxKeys` (keys
 * are short: an address, or a user id of at most 256 characters: ≈ 40 MB at the default 100,000)
 * and shrinks back once traffic stops. The semantics are those documented in `rate-limiter.ts`.
 *
 * @example
 * const limiter = createMemoryRateLimiter();
 * const { allowed, retryAfter } = limiter.consume(`publish:${userId}`, { capacity: 20, refillPerSecond: 5 });
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const now = options.now ?? monotonic;
  const maxKeys = options.maxKeys ?? 100_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be an integer >= 1');
  const buckets = new Map<string, Entry>();
  sweepWeakly(buckets, now, options.sweepInterval ?? 60_000);

  return {
    consume(key, rule, cost = 1) {
      const { state, decision } = takeTokens(buckets.get(key), rule, cost, now());
      buckets.delete(key);
      if (state.tokens < rule.capacity) {
        const fullAt =
          rule.refillPerSecond > 0
            ? state.updatedAt + ((rule.capacity - state.tokens) * 1000) / rule.refillPerSecond
            : Number.POSITIVE_INFINITY;
        buckets.set(key, { tokens: state.tokens, updatedAt: state.updatedAt, fullAt });
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
