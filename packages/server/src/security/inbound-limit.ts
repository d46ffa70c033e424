import { type BucketState, type RateRule, takeTokens } from './rate-limiter';

/** The verdict on one inbound frame. */
export type InboundVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfter: number; readonly isAbuse: boolean };

/** The verdict of every allowed frame: one object, not one per frame. */
const ALLOWED: InboundVerdict = { allowed: true };

/**
 * The per-connection message rate limit: a token bucket kept on the connection itself (no shared
 * store needed), and a count of refusals in a row that marks sustained abuse.
 */
export class InboundLimit {
  readonly #rule: RateRule | false;
  readonly #abuseThreshold: number;
  #bucket: BucketState | undefined;
  #refusedInARow = 0;

  constructor(rule: RateRule | false, abuseThreshold: number) {
    this.#rule = rule;
    this.#abuseThreshold = abuseThreshold;
  }

  /**
   * Takes one token for a frame received at `now()` (read only when there is a limit: no clock read
   * per frame when `messagesPerConnection` is off).
   */
  take(now: () => number): InboundVerdict {
    if (!this.#rule) return ALLOWED;
    const { state, decision } = takeTokens(this.#bucket, this.#rule, 1, now());
    this.#bucket = state;
    if (decision.allowed) {
      this.#refusedInARow = 0;
      return ALLOWED;
    }
    this.#refusedInARow++;
    return { allowed: false, retryAfter: decision.retryAfter, isAbuse: this.#refusedInARow >= this.#abuseThreshold };
  }

  /** Records a refusal decided elsewhere (e.g. the per-user publish limit); true when it is abuse. */
  refused(): boolean {
    return ++this.#refusedInARow >= this.#abuseThreshold;
  }
}
