import type {
  MethodInput,
  MethodMap,
  MethodOutput,
  PayloadOf,
  PublishInputOf,
  RealtimeError,
  TopicMap,
  TopicName,
} from '@oxidite/protocol';
import type { ClientState, StateChange } from './state';
import type { MessageMeta, SubscribeOptions, Subscription } from './subscriptions/types';

/** What a publish resolves with once the server acknowledged it. */
export interface PublishResult {
  /** The message's position in the topic's stream. */
  readonly offset: string;
}

/** Options of one publish or RPC. */
export interface RequestOptions {
  /** How long to wait for the answer once sent, in ms. @default the client's `requestTimeout` (10_000) */
  readonly timeout?: number;
}

/** Events of a {@link RealtimeClient}. */
export type ClientEvents = {
  /** Every change of `client.state`, with the close code and reason that caused it. */
  state: [change: StateChange];
  /** Errors that belong to no request: an invalid received payload, a malformed frame, a refused token refresh, a listener that threw. */
  error: [error: RealtimeError];
  /** A server announcement to every connection (`rt.broadcast`). */
  broadcast: [data: unknown, meta: { readonly ts: number }];
};

/** A realtime client: see `createClient`. */
export interface RealtimeClient<T extends TopicMap, M extends MethodMap = MethodMap> {
  /** `connecting`, `open`, `reconnecting` or `closed`. */
  readonly state: ClientState;
  /** Resolves when the client is first `open`; rejects if it closes first. */
  readonly ready: Promise<void>;
  /** The server's id for the current connection (a presence member's `client`), while open. */
  readonly session: string | undefined;
  /**
   * Subscribes to a topic; the subscription survives reconnects until `unsubscribe()`. One per
   * topic per client: subscribing to a topic already subscribed throws (reuse the subscription).
   * @throws RealtimeError `unknown_topic` (not in the topic map), `invalid` (already subscribed), `disconnected` (client closed)
   */
  subscribe<K extends TopicName<T>>(
    topic: K,
    handler: (data: PayloadOf<T, K>, meta: MessageMeta) => void,
    options?: SubscribeOptions,
  ): Subscription;
  /**
   * Publishes after validating `data` against the topic schema; resolves on the server's ack.
   * While disconnected it waits in the offline queue. A publish already sent when the connection
   * drops rejects with `disconnected` and is not resent: it may or may not have been published.
   */
  publish<K extends TopicName<T>>(
    topic: K,
    data: PublishInputOf<T, K>,
    options?: RequestOptions,
  ): Promise<PublishResult>;
  /** Calls a server method; the reply is validated with the method's `output` schema when `methods` was given. */
  rpc<K extends keyof M & string>(
    method: K,
    data: MethodInput<M, K>,
    options?: RequestOptions,
  ): Promise<MethodOutput<M, K>>;
  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): () => void;
  /** Closes for good: no reconnect; queued and pending requests reject with `disconnected`. */
  close(): void;
}
