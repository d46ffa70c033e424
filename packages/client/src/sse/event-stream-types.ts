import type { PayloadOf, RealtimeError, TopicMap, TopicName } from '@oxidite/protocol';
import type { ReconnectOptions } from '../options';
import type { ClientState, StateChange } from '../state';
import type { MessageMeta } from '../subscriptions/types';
import type { SseFetch } from './fetch-like';

/** Handlers by concrete topic name; the stream subscribes to exactly these topics. */
export type TopicHandlers<T extends TopicMap> = {
  [K in TopicName<T>]?: (data: PayloadOf<T, K>, meta: MessageMeta) => void;
};

/** A change of the stream's state, as passed to `onState`. */
export interface EventStreamStateChange extends StateChange {
  /** The HTTP status that caused it, when the server answered with something other than a stream. */
  readonly status?: number | undefined;
}

/** When and how often the SSE client reconnects: the WebSocket client's schedule, same defaults. */
export type EventStreamReconnectOptions = Pick<ReconnectOptions, 'minDelay' | 'maxDelay' | 'factor' | 'maxRetries'>;

/** Options of `createEventStream`. */
export interface EventStreamOptions<T extends TopicMap> {
  /** The topic map shared with the server. */
  readonly topics: T;
  /** One handler per topic to receive; the keys are the topics of the stream. */
  readonly handlers: TopicHandlers<T>;
  /** A topic's subscription is live (again, after each reconnect); `recovered` is false after a lost gap. */
  readonly onSubscribed?: ((topic: string, recovered: boolean) => void) | undefined;
  /** The history of `topic` could not be resumed: reload its state. */
  readonly onReset?: ((topic: string) => void) | undefined;
  /**
   * Errors: refused subscriptions, invalid payloads, and every failed attempt (`unauthorized`,
   * `forbidden`, `rate_limited`, `disconnected` with the HTTP status in the message); the stream
   * retries by itself unless its state turns `closed`.
   */
  readonly onError?: ((error: RealtimeError) => void) | undefined;
  /** Every change of `stream.state`, with the HTTP status or the reason that caused it. */
  readonly onState?: ((change: EventStreamStateChange) => void) | undefined;
  /**
   * A bearer token, or a function giving one, called before every connection attempt; sent as the
   * `access_token` query parameter (a header would make every cross-origin request preflighted).
   * On a 401 a function is asked once more at once; a second 401 in a row stops the stream.
   * @default none: anonymous
   */
  readonly token?: string | (() => string | undefined | Promise<string | undefined>);
  /** Send cookies cross-origin (`credentials: 'include'`). @default false */
  readonly withCredentials?: boolean | undefined;
  /** Validate payloads with the topic schemas. @default true */
  readonly validate?: boolean | undefined;
  /** Backoff of reconnection. @default { minDelay: 500, maxDelay: 30_000, factor: 2, maxRetries: Infinity } */
  readonly reconnect?: EventStreamReconnectOptions | undefined;
  /**
   * With no byte from the server for this long, in ms, the connection counts as dead and is
   * replaced: the server sends a heartbeat comment every `heartbeatInterval` (30 s by default),
   * so keep this above it. Also bounds how long an attempt may wait for the response and for the
   * `token` provider.
   * @default 60_000
   */
  readonly idleTimeout?: number | undefined;
  /** The `fetch` implementation (it must stream response bodies). @default globalThis.fetch */
  readonly fetch?: SseFetch | undefined;
}

/** A live SSE subscription to a fixed set of topics. */
export interface EventStreamClient {
  /** The topics of the stream, in URL order. */
  readonly topics: readonly string[];
  /**
   * `connecting`, `open` (every topic confirmed by the server), `reconnecting`, or `closed` (after
   * `close()`, a 403, a second 401, a 204, or `maxRetries`).
   */
  readonly state: ClientState;
  /** Stops the stream for good. */
  close(): void;
}
