import {
  ErrorCode,
  type Member,
  type Message,
  type Presence,
  RealtimeError,
  type StandardSchemaV1,
  type Subscribe,
  type Subscribed,
  type ValidationResult,
} from '@oxidite/protocol';
import { Emitter } from '../util/emitter';
import { DeliveryQueue } from './delivery-queue';
import { applyPresence, diffMembers } from './presence';
import { StreamPosition } from './stream-position';
import type { MessageMeta, Subscription, SubscriptionEvents, SubscriptionState } from './types';

/** What a subscription needs from its client. */
export interface SubscriptionOwner {
  /** Forgets the subscription and tells the server, if connected. */
  detach(subscription: TopicSubscription): void;
  /** Reports an error on the client's `error` event too. */
  report(error: RealtimeError): void;
}

/** Construction parameters of a {@link TopicSubscription}. */
export interface SubscriptionInit {
  readonly topic: string;
  readonly schema: StandardSchemaV1;
  readonly handler: (data: unknown, meta: MessageMeta) => void;
  /** Validate payloads against `schema` before delivery. */
  readonly validate: boolean;
  readonly rewind: number;
  readonly owner: SubscriptionOwner;
}

/**
 * One topic subscription and its position in the stream. It remembers the last offset it
 * delivered, resubscribes `since` it after a reconnect, and drops anything at or before it, so
 * the handler sees every message once and in order while history covers the gap; otherwise the
 * server says `recovered: false` and the subscription emits `reset`.
 */
export class TopicSubscription implements Subscription {
  readonly topic: string;
  readonly ready: Promise<void>;
  readonly #init: SubscriptionInit;
  readonly #emitter: Emitter<SubscriptionEvents>;
  #state: SubscriptionState = 'subscribing';
  #members: readonly Member[] = [];
  /** The last message delivered (or the position adopted after a reset). */
  readonly #last = new StreamPosition();
  /** The stream position of the first `subscribed` when it was followed by a `rewind` replay. */
  #position: string | undefined;
  /** Whether the subscribe in flight asked for `since`. */
  #askedSince = false;
  readonly #deliveries = new DeliveryQueue();
  /** {@link #deliver} bound once, not a closure per message. */
  readonly #onResult = (result: ValidationResult<unknown>, meta: MessageMeta): void => this.#deliver(result, meta);
  #settleReady: { resolve(): void; reject(error: RealtimeError): void } | undefined;

  constructor(init: SubscriptionInit) {
    this.topic = init.topic;
    this.#init = init;
    this.#emitter = new Emitter((error) => init.owner.report(listenerError(error)));
    this.ready = new Promise((resolve, reject) => {
      this.#settleReady = { resolve, reject };
    });
    this.ready.catch(() => {}); // awaiting it is optional: never an unhandled rejection
  }

  get state(): SubscriptionState {
    return this.#state;
  }

  get members(): readonly Member[] {
    return this.#members;
  }

  get offset(): string | undefined {
    return this.#last.text ?? this.#position;
  }

  on<E extends keyof SubscriptionEvents>(event: E, listener: (...args: SubscriptionEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  unsubscribe(): void {
    if (!this.#end('unsubscribed', 'unsubscribed before the server confirmed it')) return;
    this.#init.owner.detach(this);
  }

  /** The `subscribe` to send on a (re)connect: `since` the last offset, else `rewind`. */
  request(id: number): Subscribe {
    if (this.#state === 'retrying') this.#setState('subscribing');
    const since = this.offset;
    this.#askedSince = since !== undefined;
    if (since !== undefined) return { type: 'subscribe', id, topic: this.topic, since };
    const { rewind } = this.#init;
    return rewind > 0
      ? { type: 'subscribe', id, topic: this.topic, rewind }
      : { type: 'subscribe', id, topic: this.topic };
  }

  /** The server confirmed the subscription. */
  subscribed(envelope: Subscribed): void {
    if (this.#state !== 'subscribing') return;
    const lost = this.#askedSince && !envelope.recovered;
    if (lost) this.#last.reset(envelope.offset);
    else if (!this.#askedSince && this.#init.rewind === 0) this.#last.adopt(envelope.offset);
    else if (!this.#askedSince) this.#position = envelope.offset; // the rewind replay follows
    this.#setState('subscribed');
    this.#settleReady?.resolve();
    this.#settleReady = undefined;
    const info = { offset: envelope.offset, isResumed: this.#askedSince, recovered: envelope.recovered };
    this.#emitter.emit('subscribed', info);
    if (lost) this.#emitter.emit('reset', { offset: envelope.offset });
    if (envelope.presence) {
      const change = diffMembers(this.#members, envelope.presence);
      this.#members = envelope.presence;
      if (change) this.#emitter.emit('presence', change);
    }
  }

  /** A stream message for this topic. */
  receive(message: Message): void {
    if (this.#state !== 'subscribed') return; // a straggler from before an unsubscribe
    if (!this.#last.advance(message.offset)) return; // seen already
    const meta: MessageMeta = { topic: this.topic, offset: message.offset, ts: message.ts };
    this.#deliveries.push(this.#init.validate ? this.#init.schema : undefined, message.data, meta, this.#onResult);
  }

  /** Members joined or left. */
  presence(envelope: Presence): void {
    if (this.#state !== 'subscribed') return;
    this.#members = applyPresence(this.#members, envelope.joins, envelope.leaves);
    this.#emitter.emit('presence', { joins: envelope.joins, leaves: envelope.leaves, members: this.#members });
  }

  /**
   * The server failed the subscribe with an error a new attempt can fix: the owner sends it again
   * later (`request()` then resumes from the last offset). False if the subscription is not waiting
   * for an answer (it ended meanwhile).
   */
  retrying(error: RealtimeError): boolean {
    if (this.#state !== 'subscribing') return false;
    this.#setState('retrying', error);
    this.#init.owner.report(error);
    return true;
  }

  /** The server refused the subscribe for good. */
  fail(error: RealtimeError): void {
    if (!this.#end('failed', error)) return;
    this.#emitter.emit('error', error);
    this.#init.owner.report(error);
    this.#init.owner.detach(this);
  }

  /** The connection dropped: wait for the resubscribe. */
  disconnected(): void {
    if (this.#state === 'subscribed' || this.#state === 'retrying') this.#setState('subscribing');
  }

  /** The client closed, or the server ended the subscription. */
  close(error: RealtimeError): void {
    this.#end('unsubscribed', error);
  }

  #deliver(result: ValidationResult<unknown>, meta: MessageMeta): void {
    if (this.#state === 'unsubscribed' || this.#state === 'failed') return;
    if (!result.ok) {
      const error = new RealtimeError(
        ErrorCode.INVALID,
        `invalid payload on ${meta.topic} at ${meta.offset}: ${result.message}`,
      );
      this.#emitter.emit('error', error);
      this.#init.owner.report(error);
      return;
    }
    try {
      this.#init.handler(result.value, meta);
    } catch (error) {
      this.#init.owner.report(listenerError(error));
    }
  }

  /** Moves to a final state; false if already there. */
  #end(state: 'unsubscribed' | 'failed', why: RealtimeError | string): boolean {
    if (this.#state === 'unsubscribed' || this.#state === 'failed') return false;
    const error = typeof why === 'string' ? undefined : why;
    this.#settleReady?.reject(error ?? new RealtimeError(ErrorCode.DISCONNECTED, String(why)));
    this.#settleReady = undefined;
    this.#setState(state, error);
    return true;
  }

  /** The one place the state changes, so every change is announced. */
  #setState(to: SubscriptionState, error?: RealtimeError): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#emitter.emit('state', error ? { from, to, error } : { from, to });
  }
}

function listenerError(error: unknown): RealtimeError {
  return new RealtimeError(ErrorCode.INTERNAL, 'a subscription handler or listener threw', { cause: error });
}
