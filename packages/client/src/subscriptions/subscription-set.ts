import { RealtimeError, type ServerEnvelope } from '@oxidite/protocol';
import type { SocketSession } from '../connection/socket-session';
import { encodeText } from '../wire/outbound';
import type { TopicSubscription } from './topic-subscription';

/**
 * A client's subscriptions: one per topic, plus the subscribe requests in flight on the current
 * connection, so `subscribed` and `error` answers find their subscription by request id.
 */
export class SubscriptionSet {
  readonly #byTopic = new Map<string, TopicSubscription>();
  readonly #byRequest = new Map<number, TopicSubscription>();

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
    for (const [id, pending] of this.#byRequest) if (pending === subscription) this.#byRequest.delete(id);
    return true;
  }

  /** Sends the subscribe of one subscription on `session`. */
  send(subscription: TopicSubscription, session: SocketSession, id: number): void {
    this.#byRequest.set(id, subscription);
    session.send(encodeText(subscription.request(id)));
  }

  /** Sends every subscription's subscribe on a new connection, in the order they were made. */
  resubscribeAll(session: SocketSession, nextId: () => number): void {
    for (const subscription of this.#byTopic.values()) this.send(subscription, session, nextId());
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
      case 'subscribed':
        this.#take(envelope.id)?.subscribed(envelope);
        return true;
      case 'unsubscribed':
        // With an id it confirms our own unsubscribe; without, the server ended the subscription.
        if (envelope.id === undefined) this.#end(envelope.topic);
        return true;
      case 'error': {
        const subscription = envelope.id === undefined ? undefined : this.#take(envelope.id);
        if (!subscription) return false;
        const { code, message, retryAfter } = envelope;
        subscription.fail(new RealtimeError(code, message, retryAfter === undefined ? {} : { retryAfter }));
        return true;
      }
      default:
        return false;
    }
  }

  /** The connection dropped: every subscription waits for its resubscribe. */
  disconnected(): void {
    this.#byRequest.clear();
    for (const subscription of this.#byTopic.values()) subscription.disconnected();
  }

  /** The client closed: every subscription ends. */
  closeAll(error: () => RealtimeError): void {
    const all = [...this.#byTopic.values()];
    this.#byTopic.clear();
    this.#byRequest.clear();
    for (const subscription of all) subscription.close(error());
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
