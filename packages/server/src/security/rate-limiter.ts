/**
 * Rate limiting as a token bucket. The semantics below are the contract of every
 * {@link RateLimiter} (the in-memory one here, a Redis one in Lua): keep them in step.
 *
 * - A key's bucket holds up to `capacity` tokens and a new key starts full.
 * - Tokens refill continuously at `refillPerSecond`: `elapsedMs * refillPerSecond / 1000`, capped
 *   at `capacity`. Fractions count; a clock that goes backwards refills nothing.
 * - `consume(key, rule, cost)` is allowed when at least `cost` tokens are there; they are taken.
 *   A refused call takes nothing.
 * - `remaining` is the whole number of tokens left after the call (rounded down).
 * - `retryAfter` is 0 when allowed; otherwise the smallest whole number of milliseconds after
 *   which the same call is allowed, if nothing else consumes meanwhile. A cost that the bucket can
 *   never hold (`cost > capacity`, or no refill) reports {@link RETRY_NEVER}.
 */

/** The limit applied to a key. */
export interface RateRule {
  /** Bucket size: the largest burst, and the tokens a new key starts with. Finite, > 0. */
  readonly capacity: number;
  /** Tokens added per second, continuously. Finite, >= 0 (0: the bucket never refills). */
  readonly refillPerSecond: number;
}

/** The outcome of one {@link RateLimiter.consume} call. */
export interface RateDecision {
  /** Whether the call may proceed; if so, `cost` tokens were taken. */
  readonly allowed: boolean;
  /** Whole tokens left in the bucket after this call (rounded down). */
  readonly remaining: number;
  /**
   * Milliseconds until `cost` tokens are available (rounded up); 0 when allowed;
   * {@link RETRY_NEVER} when the bucket can never hold `cost` tokens.
   */
  readonly retryAfter: number;
}

/** Token buckets per key (a connection, a user, an address). Implementations may be remote. */
export interface RateLimiter {
  /**
   * Takes `cost` tokens from the bucket of `key` if it holds that many. Use one rule per key:
   * prefix keys with the rule's name (`publish:user:42`).
   * @param cost Tokens to take, finite and >= 0. @default 1
   */
  consume(key: string, rule: RateRule, cost?: number): RateDecision | Promise<RateDecision>;
}

/** A bucket's state. A bucket that has refilled to full is equivalent to no state at all. */
export interface BucketState {
  /** Tokens at `updatedAt`, possibly fractional. */
  readonly tokens: number;
  /** When `tokens` was measured (ms, on the limiter's clock). */
  readonly updatedAt: number;
}

/** `retryAfter` for a cost the bucket can never satisfy. */
export const RETRY_NEVER = Number.MAX_SAFE_INTEGER;

/**
 * Throws a RangeError for a rule or cost that would make the math meaningless: a server bug, not a
 * refusal. Every {@link RateLimiter} (the memory one, `@oxidite/redis`'s, yours) checks with it.
 */
export function assertRateRule(rule: RateRule, cost: number): void {
  if (!Number.isFinite(rule.capacity) || rule.capacity <= 0) {
    throw new RangeError(`RateRule.capacity must be a finite number > 0, got ${rule.capacity}`);
  }
  if (!Number.isFinite(rule.refillPerSecond) || rule.refillPerSecond < 0) {
    throw new RangeError(`RateRule.refillPerSecond must be a finite number >= 0, got ${rule.refillPerSecond}`);
  }
  if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`cost must be a finite number >= 0, got ${cost}`);
}

/** Tokens in a bucket `elapsed` ms after it held `tokens`. */
function refilled(tokens: number, elapsed: number, rule: RateRule): number {
  return Math.min(rule.capacity, tokens + (elapsed * rule.refillPerSecond) / 1000);
}

/**
 * The wait, in whole ms, before `cost` tokens are there. Computed with the same floating-point
 * expression as the refill, so that waiting exactly `retryAfter` ms is always enough and one
 * millisecond less never is.
 */
function waitFor(tokens: number, cost: number, rule: RateRule): number {
  if (cost > rule.capacity || rule.refillPerSecond === 0) return RETRY_NEVER;
  let wait = Math.max(1, Math.ceil(((cost - tokens) * 1000) / rule.refillPerSecond));
  while (refilled(tokens, wait, rule) < cost) wait++;
  while (wait > 1 && refilled(tokens, wait - 1, rule) >= cost) wait--;
  return wait;
}

/** {@link waitFor}, plus the gap when the clock went back behind `updatedAt` (refill restarts there). */
function retryAfter(tokens: number, cost: number, rule: RateRule, behind: number): number {
  const wait = waitFor(tokens, cost, rule);
  return wait === RETRY_NEVER ? wait : Math.min(RETRY_NEVER, wait + Math.ceil(behind));
}

/**
 * The token-bucket step, pure: given a key's state (undefined for a new key), returns the new
 * state and the decision. `now` is in ms on any monotonic-ish clock; only differences matter.
 * Throws a RangeError for an invalid rule or cost.
 */
export function takeTokens(
  state: BucketState | undefined,
  rule: RateRule,
  cost: number,
  now: number,
): { readonly state: BucketState; readonly decision: RateDecision } {
  assertRateRule(rule, cost);
  const updatedAt = state ? Math.max(state.updatedAt, now) : now;
  const tokens = state ? refilled(state.tokens, Math.max(0, now - state.updatedAt), rule) : rule.capacity;
  if (cost <= tokens) {
    const left = tokens - cost;
    return {
      state: { tokens: left, updatedAt },
      decision: { allowed: true, remaining: Math.floor(left), retryAfter: 0 },
    };
  }
  return {
    state: { tokens, updatedAt },
    decision: {
      allowed: false,
      remaining: Math.floor(tokens),
      retryAfter: retryAfter(tokens, cost, rule, updatedAt - now),
    },
  };
}
