import {
  type Ack,
  createTopicRegistry,
  ErrorCode,
  type MethodInput,
  type MethodMap,
  type MethodOutput,
  type PayloadOf,
  type PublishInputOf,
  RealtimeError,
  type Reply,
  type ServerEnvelope,
  type TopicMap,
  type TopicName,
  type TopicRegistry,
} from '@oxidite/protocol';
import type { ClientEvents, PublishOptions, PublishResult, RealtimeClient, RequestOptions } from './client-types';
import { ConnectionLoop } from './connection/connection-loop';
import { createTokenRefresh, type TokenRefresh } from './connection/token-refresh';
import { resolveWebSocket } from './connection/websocket-like';
import { type ClientOptions, type ResolvedOptions, resolveOptions } from './options';
import { checked } from './requests/checked';
import { createMessageIds } from './requests/message-ids';
import { Requester } from './requests/requester';
import type { ClientState, StateChange } from './state';
import { SubscriptionSet } from './subscriptions/subscription-set';
import { TopicSubscription } from './subscriptions/topic-subscription';
import type { MessageMeta, SubscribeOptions, Subscription } from './subscriptions/types';
import { Emitter } from './util/emitter';
import { encodePublish, encodeText } from './wire/outbound';
import { serverError } from './wire/server-error';

/** The data of an RPC's `reply`. */
const replyData = (answer: Ack | Reply): unknown => (answer.type === 'reply' ? answer.data : undefined);

/**
 * Creates a client and starts connecting. See the package README for reconnect, recovery and
 * offline-queue semantics.
 * @throws RealtimeError `invalid` when there is no WebSocket implementation (Node 20: pass `WebSocket` from `ws`)
 */
export function createClient<const T extends TopicMap, const M extends MethodMap = MethodMap>(
  options: ClientOptions<T, M>,
): RealtimeClient<T, M> {
  return new Client(options);
}

class Client<T extends TopicMap, M extends MethodMap> implements RealtimeClient<T, M> {
  readonly ready: Promise<void>;
  readonly #options: ResolvedOptions;
  readonly #topics: TopicRegistry;
  readonly #methods: M | undefined;
  readonly #emitter = new Emitter<ClientEvents>((error, event) => {
    if (event !== 'error')
      this.#report(new RealtimeError(ErrorCode.INTERNAL, `a ${String(event)} listener threw`, { cause: error }));
  });
  readonly #subscriptions: SubscriptionSet;
  readonly #loop: ConnectionLoop;
  readonly #requests: Requester;
  readonly #refresh: TokenRefresh;
  readonly #nextMessageId = createMessageIds();
  #settleReady: { resolve(): void; reject(error: RealtimeError): void } | undefined;

  constructor(options: ClientOptions<T, M>) {
    const WebSocket = resolveWebSocket(options.WebSocket);
    this.#options = resolveOptions(options);
    this.#topics = createTopicRegistry(options.topics);
    this.#methods = options.methods;
    this.ready = new Promise((resolve, reject) => {
      this.#settleReady = { resolve, reject };
    });
    this.ready.catch(() => {}); // awaiting it is optional: never an unhandled rejection
    this.#subscriptions = new SubscriptionSet({
      backoff: this.#options.reconnect,
      resend: (subscription) => {
        const live = this.#loop.live;
        if (live) this.#subscriptions.send(subscription, live, this.#requests.nextId());
      },
    });
    this.#loop = new ConnectionLoop(this.#options, WebSocket, {
      onOpen: (session, _welcome, token) => {
        this.#refresh.reset(token);
        // Order matters: subscriptions first, then the queue in order; the state turns `open` once
        // the server answered every resubscribe, so `open` means the subscriptions are live again.
        this.#subscriptions.resubscribeAll(session, () => this.#requests.nextId());
        this.#requests.flush();
        this.#subscriptions.whenRestored((isHealthy) => this.#loop.restored(session, isHealthy));
      },
      onEnvelope: (envelope) => this.#receive(envelope),
      onDisconnect: (code) => {
        this.#refresh.reset();
        this.#requests.disconnected(code);
        this.#subscriptions.disconnected();
      },
      onState: (change) => this.#changed(change),
      onRetry: (retry) => this.#emitter.emit('retry', retry),
      onError: (error) => this.#report(error),
    });
    this.#requests = new Requester(this.#loop, this.#options);
    this.#refresh = createTokenRefresh(this.#options.token, {
      send: (token, accepted) => {
        const live = this.#loop.live;
        if (!live) return;
        this.#requests.sendNow(live, (id) => encodeText({ type: 'auth', id, token }), {
          resolve: accepted,
          // Refused: the server closes with 4401 at the expiry.
          reject: (error) => error.code !== ErrorCode.DISCONNECTED && this.#report(error),
        });
      },
      report: (error) => this.#report(error),
    });
    this.#loop.start();
  }

  get state(): ClientState {
    return this.#loop.state;
  }

  get queued(): number {
    return this.#requests.unsent;
  }

  get session(): string | undefined {
    return this.#loop.live?.welcome?.session;
  }

  on<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): () => void {
    return this.#emitter.on(event, listener);
  }

  subscribe<K extends TopicName<T>>(
    topic: K,
    handler: (data: PayloadOf<T, K>, meta: MessageMeta) => void,
    options: SubscribeOptions = {},
  ): Subscription {
    if (this.#loop.state === 'closed') throw new RealtimeError(ErrorCode.DISCONNECTED, 'the client is closed');
    const resolved = this.#topics.resolve(topic);
    if (!resolved) throw new RealtimeError(ErrorCode.UNKNOWN_TOPIC, `unknown topic: ${topic}`);
    if (this.#subscriptions.get(topic)) {
      throw new RealtimeError(
        ErrorCode.INVALID,
        `already subscribed to ${topic}: reuse that subscription or unsubscribe() it first`,
      );
    }
    const subscription = new TopicSubscription({
      topic,
      schema: resolved.schema,
      handler: handler as (data: unknown, meta: MessageMeta) => void,
      validate: this.#options.validate,
      rewind: options.rewind ?? 0,
      owner: { detach: (it) => this.#detach(it), report: (error) => this.#report(error) },
    });
    this.#subscriptions.add(subscription);
    const live = this.#loop.live;
    if (live) this.#subscriptions.send(subscription, live, this.#requests.nextId());
    return subscription;
  }

  publish<K extends TopicName<T>>(
    topic: K,
    data: PublishInputOf<T, K>,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    const resolved = this.#topics.resolve(topic);
    if (!resolved) return Promise.reject(new RealtimeError(ErrorCode.UNKNOWN_TOPIC, `unknown topic: ${topic}`));
    if (options.messageId !== undefined && options.atMostOnce) {
      return Promise.reject(new RealtimeError(ErrorCode.INVALID, 'messageId with atMostOnce'));
    }
    // The id is taken now, in call order, and kept by every attempt of this publish.
    const messageId = options.messageId ?? (options.atMostOnce ? undefined : this.#nextMessageId());
    const send = () =>
      this.#requests.request(
        (id) => encodePublish(id, topic, data, { messageId, traceparent: options.traceparent }),
        options.timeout,
        messageId !== undefined,
      );
    return checked(resolved.schema, data, `payload for ${topic}`, send).then((answer) => {
      if (answer.type !== 'ack' || answer.offset === undefined) {
        throw new RealtimeError(ErrorCode.INTERNAL, 'the server acknowledged the publish without an offset');
      }
      return { offset: answer.offset };
    });
  }

  rpc<K extends keyof M & string>(
    method: K,
    data: MethodInput<M, K>,
    options: RequestOptions = {},
  ): Promise<MethodOutput<M, K>> {
    const call = () =>
      this.#requests.request((id) => encodeText({ type: 'rpc', id, method, data }), options.timeout, false, replyData);
    const definition = this.#methods?.[method];
    if (!definition) return call() as Promise<MethodOutput<M, K>>;
    return checked(definition.input, data, `${method} input`, call).then((reply) =>
      checked(definition.output, reply, `${method} reply`, (value) => value as MethodOutput<M, K>),
    );
  }

  close(): void {
    this.#loop.close();
  }

  #receive(envelope: ServerEnvelope): void {
    if (this.#subscriptions.route(envelope)) return;
    switch (envelope.type) {
      case 'ack':
      case 'reply':
        this.#requests.answer(envelope);
        return;
      case 'error':
        if (!this.#requests.answer(envelope)) this.#report(serverError(envelope));
        return;
      case 'broadcast':
        this.#emitter.emit('broadcast', envelope.data, { ts: envelope.ts });
        return;
      case 'refresh':
        this.#refresh.refresh(envelope.deadline);
        return;
    }
  }

  #detach(subscription: TopicSubscription): void {
    if (!this.#subscriptions.delete(subscription) || subscription.state === 'failed') return;
    this.#loop.live?.send(encodeText({ type: 'unsubscribe', id: this.#requests.nextId(), topic: subscription.topic }));
  }

  #changed(change: StateChange): void {
    if (change.to === 'open') {
      this.#settleReady?.resolve();
      this.#settleReady = undefined;
    } else if (change.to === 'closed') {
      this.#refresh.reset();
      const why = `the client closed${change.reason ? `: ${change.reason}` : ''}`;
      this.#requests.closed(why);
      this.#subscriptions.closeAll(() => new RealtimeError(ErrorCode.DISCONNECTED, why));
      this.#settleReady?.reject(new RealtimeError(ErrorCode.DISCONNECTED, why));
      this.#settleReady = undefined;
    }
    this.#emitter.emit('state', change);
  }

  #report(error: RealtimeError): void {
    this.#emitter.emit('error', error);
  }
}
