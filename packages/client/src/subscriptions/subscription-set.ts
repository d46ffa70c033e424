import { isRetryableError, RealtimeError, type ServerEnvelope } from '@oxidite/protocol';
import type { BackoffOptions } from '../connection/backoff';
import type { SocketSession } from '../connection/socket-session';
import { encodeText } from '../wire/outbound';
import { serverError } from '../wire/server-error';
import { ResubscribeSchedule } from './resubscribe-schedule';
import type { TopicSubscription } from './topic-subscription';

/** What a {@link SubscriptionSet} needs from its client. */
export interface SubscriptionSetInit {
  /** The schedule of subscribes retried after a retryable error. */
  readonly backoff: BackoffOptions;
  /** Sends `subscription`'s subscribe again on the live connection, if there is one. */
  resend(subscription: TopicSubscription): void;
}

/** The resubscribes sent when a connection opened, until each one is answered. */
interface Restoring {
  readonly ids: Set<number>;
  /** Answers that confirmed a subscription. */
  confirmed: number;
  /** False once any answer was not a confirmation. */
  isConfirmed: boolean;
  done?: ((isHealthy: boolean) => void) | undefined;
}

/**
 * A client's subscriptions: one per topic, plus the subscribe requests in flight on the current
 * connection, so `subscribed` and `error` answers find their subscription by request id. A
 * retryable `error` answer (`isRetryableError`) sends the subscribe again after a backoff delay;
 * only a final refusal ends the subscription.
 */
export class SubscriptionSet {
  readonly #byTopic = new Map<string, TopicSubscription>();
  readonly #byRequest = new Map<number, TopicSubscription>();
  readonly #init: SubscriptionSetInit;
  readonly #schedule: ResubscribeSchedule;
  #restoring: Restoring | undefined;

  constructor(init: SubscriptionSetInit) {
    this.#init = init;
    this.#schedule = new ResubscribeSchedule(init.backoff);
  }

  get(topic: string): TopicSubscription | undefined {
    return this.#byTopic.get(topic);
  }

  add(subscription: TopicSubscription): void {
    this.#byTopic.set(subscription.topic, subscription);
  }

  /** Forgets a subscription; true if it was there. */
  delete(subscription: TopicSubscription): boolean {
    if (this.#byTopic.get(subscription.topic) !== subscription) return false;
    this.#byTopic.delete(subscription.topic);
    this.#schedule.forget(subscription);
    for (const [id, pending] of this.#byRequest) {
      if (pending !== subscription) continue;
      this.#byRequest.delete(id);
      this.#answered(id, undefined); // an unsubscribe during the restore says nothing about the connection
    }
    return true;
  }

  /** Sends the subscribe of one subscription on `session`. */
  send(subscription: TopicSubscription, session: SocketSession, id: number): void {
    this.#byRequest.set(id, subscription);
    session.send(encodeText(subscription.request(id)));
  }

  /** Sends every subscription's subscribe on a new connection, in the order they were made. */
  resubscribeAll(session: SocketSession, nextId: () => number): void {
    const ids = new Set<number>();
    this.#restoring = { ids, confirmed: 0, isConfirmed: true };
    for (const subscription of this.#byTopic.values()) {
      const id = nextId();
      ids.add(id);
      this.send(subscription, session, id);
    }
  }

  /**
   * Calls `done` once every subscribe of the last `resubscribeAll` is answered (at once if there
   * were none): `isHealthy` when there was at least one and each was confirmed, a round trip
   * through the server's subscribe path rather than just a handshake. Never, if the connection
   * drops first.
   */
  whenRestored(done: (isHealthy: boolean) => void): void {
    if (!this.#restoring) return;
    this.#restoring.done = done;
    this.#finishRestoring();
  }

  /** Routes an envelope that concerns subscriptions; false if it does not. */
  route(envelope: ServerEnvelope): boolean {
    switch (envelope.type) {
      case 'message':
        this.#byTopic.get(envelope.topic)?.receive(envelope);
        return true;
      case 'presence':
        this.#byTopic.get(envelope.topic)?.presence(envelope);
        return true;
      case 'subscribed': {
        const subscription = this.#take(envelope.id);
        if (subscription) {
          this.#schedule.confirmed(subscription);
          subscription.subscribed(envelope);
        }
        this.#answered(envelope.id, true);
        return true;
      }
      case 'unsubscribed':
        // With an id it confirms our own unsubscribe; without, the server ended the subscription.
        if (envelope.id === undefined) this.#end(envelope.topic);
        return true;
      case 'error': {
        const { id, code, retryAfter } = envelope;
        const subscription = id === undefined ? undefined : this.#take(id);
        if (id === undefined || !subscription) return false;
        const error = serverError(envelope);
        if (!isRetryableError(code)) subscription.fail(error);
        else if (subscription.retrying(error)) {
          this.#schedule.schedule(subscription, retryAfter, () => {
            if (this.#byTopic.get(subscription.topic) === subscription) this.#init.resend(subscription);
          });
        }
        this.#answered(id, false);
        return true;
      }
      default:
        return false;
    }
  }

  /** The connection dropped: every subscription waits for its resubscribe. */
  disconnected(): void {
    this.#byRequest.clear();
    this.#restoring = undefined;
    this.#schedule.cancelAll();
    for (const subscription of this.#byTopic.values()) subscription.disconnected();
  }

  /** The client closed: every subscription ends. */
  closeAll(error: () => RealtimeError): void {
    const all = [...this.#byTopic.values()];
    this.#byTopic.clear();
    this.#byRequest.clear();
    this.#restoring = undefined;
    this.#schedule.cancelAll();
    for (const subscription of all) subscription.close(error());
  }

  /** One answer to a subscribe arrived (or no answer is expected any more). */
  #answered(id: number, isConfirmed: boolean | undefined): void {
    const restoring = this.#restoring;
    if (!restoring?.ids.delete(id)) return;
    if (isConfirmed === true) restoring.confirmed++;
    if (isConfirmed === false) restoring.isConfirmed = false;
    this.#finishRestoring();
  }

  #finishRestoring(): void {
    const restoring = this.#restoring;
    if (!restoring?.done || restoring.ids.size > 0) return;
    this.#restoring = undefined;
    restoring.done(restoring.confirmed > 0 && restoring.isConfirmed);
  }

  #take(id: number): TopicSubscription | undefined {
    const subscription = this.#byRequest.get(id);
    this.#byRequest.delete(id);
    return subscription;
  }

  #end(topic: string): void {
    const subscription = this.#byTopic.get(topic);
    if (!subscription) return;
    this.delete(subscription);
    subscription.close(new RealtimeError('unsubscribed', `the server ended the subscription to ${topic}`));
  }
}
