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
import type { ClientState, Retry, StateChange } from './state';
import type { MessageMeta, SubscribeOptions, Subscription } from './subscriptions/types';

/** What a publish resolves with once the server acknowledged it. */
export interface PublishResult {
  /** The message's position in the topic's stream. */
  readonly offset: string;
}

/** Options of one publish or RPC. */
export interface RequestOptions {
  /** How long to wait for the answer once sent, in ms. @default the client's `requestTimeout` (10_000) */
  readonly timeout?: number | undefined;
}

/** Options of one publish. */
export interface PublishOptions extends RequestOptions {
  /**
   * Opts this publish out of exactly-once delivery: it carries no message id, and if the
   * connection drops before the server's ack it rejects with `disconnected` instead of being
   * resent (it may or may not have been published). For data where a stale retry is worse than a
   * loss. @default false: exactly once (see `publish`)
   */
  readonly atMostOnce?: boolean | undefined;
  /**
   * Your own message id for this publish (1–64 of `A-Z a-z 0-9 _ . : -`), instead of one the
   * client makes: to retry a publish whose outcome you do not know (it rejected with `timeout` or
   * `queue_full` after it was sent, or your process restarted) with the same id, so the server
   * publishes it once within its dedupe window. Ids are scoped per user on the server. Cannot be
   * combined with `atMostOnce`; an id the protocol refuses rejects with `invalid`.
   * @default a fresh id of this client
   */
  readonly messageId?: string | undefined;
  /**
   * A W3C `traceparent` to continue your trace on the server (PROTOCOL.md §4.7), e.g. from
   * OpenTelemetry: `const carrier = {}; propagation.inject(context.active(), carrier)`, then
   * `carrier.traceparent`. Every retry of the publish carries the same one.
   * @default none
   */
  readonly traceparent?: string | undefined;
}

/** Events of a {@link RealtimeClient}. */
export type ClientEvents = {
  /** Every change of `client.state`, with the close code and reason that caused it. */
  state: [change: StateChange];
  /**
   * Errors that belong to no request: an invalid received payload, a malformed frame (the client
   * then reconnects, so the resubscribes recover what it may have hidden), a refused token
   * refresh, a provider that failed or never answered, a listener that threw.
   */
  error: [error: RealtimeError];
  /**
   * A reconnect attempt is scheduled in `delay` ms, after each failed attempt or dropped
   * connection (while `state` stays `reconnecting`): for a "reconnecting in 3 s" indicator.
   */
  retry: [retry: Retry];
  /** A server announcement to every connection (`rt.broadcast`). */
  broadcast: [data: unknown, meta: { readonly ts: number }];
};

/** A realtime client: see `createClient`. */
export interface RealtimeClient<T extends TopicMap, M extends MethodMap = MethodMap> {
  /** `connecting`, `open`, `reconnecting` or `closed`. */
  readonly state: ClientState;
  /**
   * Publishes and RPCs not sent yet: waiting in the offline queue while disconnected, or held
   * back by the server's in-flight limit. Read it on `state` and `retry` events for an indicator.
   */
  readonly queued: number;
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
   * Publishes after validating `data` against the topic schema; resolves once, on the server's
   * ack, with the message's offset. Exactly once: each publish carries a message id of this
   * client; one still unacknowledged when the connection drops is sent again after the
   * reconnect, with the same id, in the original order and ahead of newer ones, and the server
   * publishes an id once within its dedupe window (PROTOCOL.md §4.6). While disconnected it waits
   * in the offline queue (`queue.maxAge` from the cut for a resend). `atMostOnce` opts out.
   * @throws RealtimeError `unknown_topic`, `invalid`, `queue_full`, `timeout`, `disconnected` (client closed; or cut, with `atMostOnce`)
   */
  publish<K extends TopicName<T>>(
    topic: K,
    data: PublishInputOf<T, K>,
    options?: PublishOptions,
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
