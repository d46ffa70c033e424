import type { MethodMap, TopicMap } from '@oxidite/protocol';
import type { RealtimeLimits } from './config';
import type { MessageFilter } from './hub';
import type { InspectorOptions } from './inspector';
import type { AnyLogger, TelemetryOptions } from './observability';
import type { Broker } from './pubsub';
import type { AuthHook, AuthorizeHook, SecurityOptions, TokenSourceOptions, TokenVerifier } from './security';

/**
 * Options of `createRealtimeServer`. Limits not given take their production values
 * (see {@link RealtimeLimits} and `RealtimeConfig`).
 */
export interface RealtimeServerOptions<T extends TopicMap, M extends MethodMap = MethodMap>
  extends Partial<RealtimeLimits> {
  /** The topic map shared with clients (`defineTopics`). Only declared topics exist. */
  readonly topics: T;
  /** RPC method schemas shared with clients (`defineMethods`); handlers are added with `rt.rpc`. @default none */
  readonly methods?: M | undefined;
  /** Path of the WebSocket endpoint. @default '/ws' */
  readonly path?: string | undefined;
  /** Path of the SSE endpoint (served by `listen`; mount `rt.handlers.events` there yourself after `attach`). @default '/events' */
  readonly ssePath?: string | undefined;
  /** `retry:` hint sent to SSE clients, in ms. @default 3_000 */
  readonly sseRetry?: number | undefined;
  /** The pub/sub backbone. @default a new MemoryBroker (closed by `rt.close()`) */
  readonly broker?: Broker | undefined;
  /**
   * Authenticates each connection request: `({ req, token, remoteAddress, origin }) => Principal | null`
   * (or a promise of it). null refuses it (close 4401, HTTP 401 for SSE); throwing
   * `new RealtimeError('forbidden', reason)` refuses it for good (close 4403, HTTP 403).
   * `createJwtAuth` makes one. @default none: anonymous connections
   */
  readonly auth?: AuthHook | undefined;
  /** Verifies tokens sent in-band (`auth` envelopes) to refresh a live connection. @default none: refresh refused */
  readonly verifyToken?: TokenVerifier | undefined;
  /** Where the token of a request is looked for. @default header, `access_token` query, subprotocol */
  readonly tokens?: TokenSourceOptions | undefined;
  /** Authorizes subscribe, publish and presence per topic. Runs after the rules declared with each topic (owned topics, `clientPublish: false`), which it can only narrow. @default none: the declared rules alone */
  readonly authorize?: AuthorizeHook | undefined;
  /** Origins, trusted proxies, rate limits and connection caps. @default safe values: see `SecurityOptions` */
  readonly security?: SecurityOptions | undefined;
  /**
   * Runs on every client publish before fan-out: return `true` to pass it, `false` or
   * `{ reject: reason }` to answer `rejected`. Anything else rejects too (a filter without a
   * `return` gives `undefined`): a filter fails closed. @default none
   */
  readonly filter?: MessageFilter | undefined;
  /**
   * Receives the server's log lines, each with an `event` field (table in the README). A pino
   * logger (anything with `child`) is called `info(fields, message)`; a 0.1 `Logger` is called
   * `info(message, fields)`. Nothing is logged per message. @default silent
   */
  readonly logger?: AnyLogger | undefined;
  /**
   * OpenTelemetry: spans (`rt.connection`, `rt.subscribe`, `rt.rpc`, `rt.publish`,
   * `rt.client.publish`, `rt.deliver`) and the counters as OTel metrics. Pass the API module:
   * `{ api: await import('@opentelemetry/api') }` (an optional peer dependency, never loaded
   * otherwise). @default none: no spans, no metrics, nothing on the hot path
   */
  readonly telemetry?: TelemetryOptions | undefined;
  /**
   * An opt-in live page at `inspector.path` (default `/realtime/inspector`): connections, topics,
   * recent refusals and closes, a topic tail and a disconnect button, behind its own secret
   * (`inspector.token`, sent as `?access_token=`). It declares the server-only topic `@inspector`
   * and the RPC method `oxidite.inspector.disconnect`. @default none: no page, no topic, no method
   */
  readonly inspector?: InspectorOptions | undefined;
  /** Enables permessage-deflate on WebSockets. @default false */
  readonly perMessageDeflate?: boolean | undefined;
  /**
   * How long `close()` waits for clients to complete the close handshake (and SSE readers to take
   * the end of their stream) before it cuts the remaining connections, in ms. `close()` ends within
   * this grace plus at most 1 s.
   * @default 5_000
   */
  readonly closeGrace?: number | undefined;
  /** Clock, for tests. @default Date.now */
  readonly now?: (() => number) | undefined;
}
