import { type BucketState, type RateRule, takeTokens } from './rate-limiter';

/** The verdict on one inbound frame. */
export type InboundVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfter: number; readonly isAbuse: boolean };

/** The verdict of every allowed frame: one object, not one per frame. */
const ALLOWED: InboundVerdict = { allowed: true };

/**
 * What {@link InboundLimit} keeps per connection, in fields of the connection itself: an object of
 * its own would cost every idle connection its header (issue #18, goal 3).
 */
export interface InboundLimitState {
  /** The connection's token bucket; undefined until its first frame (and without a limit). */
  inboundBucket: BucketState | undefined;
  /** Refusals in a row; at the abuse threshold the connection is closed with 4429. */
  refusedInARow: number;
}

/**
 * The per-connection message rate limit: a token bucket kept on the connection itself (no shared
 * store needed), and a count of refusals in a row that marks sustained abuse. One instance holds
 * the rule for every connection of a hub; each connection passes its own {@link InboundLimitState}.
 */
export class InboundLimit {
  readonly #rule: RateRule | false;
  readonly #abuseThreshold: number;

  constructor(rule: RateRule | false, abuseThreshold: number) {
    this.#rule = rule;
    this.#abuseThreshold = abuseThreshold;
  }

  /**
   * Takes one token for a frame received at `now()` (read only when there is a limit: no clock read
   * per frame when `messagesPerConnection` is off).
   */
  take(state: InboundLimitState, now: () => number): InboundVerdict {
    if (!this.#rule) return ALLOWED;
    const { state: bucket, decision } = takeTokens(state.inboundBucket, this.#rule, 1, now());
    state.inboundBucket = bucket;
    if (decision.allowed) {
      state.refusedInARow = 0;
      return ALLOWED;
    }
    state.refusedInARow++;
    return { allowed: false, retryAfter: decision.retryAfter, isAbuse: state.refusedInARow >= this.#abuseThreshold };
  }

  /** Records a refusal decided elsewhere (e.g. the per-user publish limit); true when it is abuse. */
  refused(state: InboundLimitState): boolean {
    return ++state.refusedInARow >= this.#abuseThreshold;
  }
}
