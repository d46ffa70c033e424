import { type BackoffOptions, backoffDelay } from '../connection/backoff';
import { after, type Cancel } from '../util/timers';
import type { TopicSubscription } from './topic-subscription';

/**
 * When each subscription that met a retryable error sends its subscribe again: full-jitter
 * backoff per subscription (the connection's schedule, so one server hiccup does not bring every
 * client's resubscribes back at the same instant), never sooner than the server's `retryAfter`.
 * A confirmation starts the subscription's count from the first step again.
 */
export class ResubscribeSchedule {
  readonly #backoff: BackoffOptions;
  readonly #attempts = new Map<TopicSubscription, number>();
  readonly #timers = new Map<TopicSubscription, Cancel>();

  constructor(backoff: BackoffOptions) {
    this.#backoff = backoff;
  }

  /** Runs `resend` for `subscription` after its next backoff delay (at least `retryAfter` ms). */
  schedule(subscription: TopicSubscription, retryAfter: number | undefined, resend: () => void): void {
    this.cancel(subscription);
    const attempt = this.#attempts.get(subscription) ?? 0;
    this.#attempts.set(subscription, attempt + 1);
    const delay = Math.max(backoffDelay(attempt, this.#backoff), retryAfter ?? 0);
    this.#timers.set(
      subscription,
      after(delay, () => {
        this.#timers.delete(subscription);
        resend();
      }),
    );
  }

  /** The subscription was confirmed: its next failure waits the first step again. */
  confirmed(subscription: TopicSubscription): void {
    this.#attempts.delete(subscription);
  }

  /** Stops a pending resend (the connection dropped: the reconnect resubscribes anyway). */
  cancel(subscription: TopicSubscription): void {
    this.#timers.get(subscription)?.();
    this.#timers.delete(subscription);
  }

  /** Forgets a subscription that ended. */
  forget(subscription: TopicSubscription): void {
    this.cancel(subscription);
    this.#attempts.delete(subscription);
  }

  /** Stops every pending resend. */
  cancelAll(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}
