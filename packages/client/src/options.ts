import type { MethodMap, TopicMap } from '@oxidite/protocol';
import type { WebSocketConstructor } from './connection/websocket-like';

/** When and how often the client reconnects. */
export interface ReconnectOptions {
  /** Ceiling of the first retry's random delay, in ms. @default 500 */
  readonly minDelay?: number | undefined;
  /** Highest ceiling of a retry's random delay, in ms. @default 30_000 */
  readonly maxDelay?: number | undefined;
  /** Growth of the ceiling per failed attempt. @default 2 */
  readonly factor?: number | undefined;
  /** Failed attempts in a row before the client gives up (state `closed`). @default Infinity */
  readonly maxRetries?: number | undefined;
  /** A connection must stay open this long, in ms, before the retry count resets to 0. @default 5_000 */
  readonly minUptime?: number | undefined;
  /** An attempt that has no `welcome` from the server within this many ms is dropped and retried. @default 10_000 */
  readonly connectionTimeout?: number | undefined;
}

/** The offline queue: publishes and RPCs issued while not connected. */
export interface QueueOptions {
  /** Requests kept while disconnected; more reject at once with `queue_full`. 0 disables queueing. @default 100 */
  readonly maxSize?: number | undefined;
  /** A queued request still unsent after this many ms rejects with `queue_full`. @default 30_000 */
  readonly maxAge?: number | undefined;
}

/** Options of `createClient`. */
export interface ClientOptions<T extends TopicMap, M extends MethodMap = MethodMap> {
  /** The server's WebSocket URL (`wss://host/ws`), or a function giving it, called before every connection attempt. */
  readonly url: string | (() => string | Promise<string>);
  /** The topic map shared with the server (`defineTopics`): types `subscribe` and `publish`, validates payloads. */
  readonly topics: T;
  /** RPC method schemas shared with the server (`defineMethods`): types `rpc` and validates replies. @default none: replies are not validated */
  readonly methods?: M | undefined;
  /**
   * A bearer token, or a function giving one, called before every connection attempt and when
   * the server asks for a fresh token (`refresh`). It travels as the subprotocol
   * `oxidite.token.<base64url>`, since browsers cannot set headers on a WebSocket. A `refresh` is
   * answered only with a fresher token (another string; for JWTs a later `exp`): a stale answer
   * gets one more call halfway to the deadline, then the server's 4401 at the expiry decides.
   * @default none: anonymous connections
   */
  readonly token?: string | (() => string | undefined | Promise<string | undefined>);
  /** The WebSocket class. Node 20 has no global one: pass `WebSocket` from `ws`. @default globalThis.WebSocket */
  readonly WebSocket?: WebSocketConstructor | undefined;
  /** Backoff and limits of reconnection. @default { minDelay: 500, maxDelay: 30_000, factor: 2, maxRetries: Infinity, minUptime: 5_000, connectionTimeout: 10_000 } */
  readonly reconnect?: ReconnectOptions | undefined;
  /** After a heartbeat `ping`, how long to wait for any frame before the connection counts as dead, in ms. @default 10_000 */
  readonly heartbeatTimeout?: number | undefined;
  /** Bounds of the offline queue. @default { maxSize: 100, maxAge: 30_000 } */
  readonly queue?: QueueOptions | undefined;
  /** How long a sent publish or RPC waits for its answer before it rejects with `timeout`, in ms. @default 10_000 */
  readonly requestTimeout?: number | undefined;
  /** Validate received payloads against the topic schema; an invalid one is reported as an `error` event, not delivered. @default true */
  readonly validate?: boolean | undefined;
}

/** Every field present, none `undefined`: options once their defaults are filled in. */
export type Filled<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly url: string | (() => string | Promise<string>);
  readonly token: string | (() => string | undefined | Promise<string | undefined>) | undefined;
  readonly reconnect: Filled<ReconnectOptions>;
  readonly heartbeatTimeout: number;
  readonly queue: Filled<QueueOptions>;
  readonly requestTimeout: number;
  readonly validate: boolean;
}

/** The reconnect backoff's defaults, the same for the WebSocket and the SSE client. */
export const BACKOFF_DEFAULTS = { minDelay: 500, maxDelay: 30_000, factor: 2, maxRetries: Number.POSITIVE_INFINITY };

/** Fills in the defaults. */
export function resolveOptions<T extends TopicMap, M extends MethodMap>(options: ClientOptions<T, M>): ResolvedOptions {
  return {
    url: options.url,
    token: options.token,
    reconnect: withDefaults({ ...BACKOFF_DEFAULTS, minUptime: 5_000, connectionTimeout: 10_000 }, options.reconnect),
    heartbeatTimeout: options.heartbeatTimeout ?? 10_000,
    queue: withDefaults({ maxSize: 100, maxAge: 30_000 }, options.queue),
    requestTimeout: options.requestTimeout ?? 10_000,
    validate: options.validate ?? true,
  };
}

/** `defaults` overridden by the fields of `given` that are not `undefined`. */
export function withDefaults<D extends object>(
  defaults: D,
  given: { readonly [K in keyof D]?: D[K] | undefined } | undefined,
): D {
  const out = { ...defaults };
  for (const key of Object.keys(given ?? {}) as (keyof D)[]) {
    const value = given?.[key];
    if (value !== undefined) out[key] = value as D[keyof D];
  }
  return out;
}
