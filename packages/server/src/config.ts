/**
 * Tuning of a realtime server, with the two presets. Every field can be overridden:
 * `createRealtimeServer({ topics, ...RealtimeConfig.development(), heartbeatInterval: 5_000 })`.
 * Without a preset the server uses production values: safe defaults are the default.
 */
export interface RealtimeLimits {
  /** Open connections (WebSocket + SSE) before new ones are refused with HTTP 503. @default 10_000 (dev 1_000) */
  readonly maxConnections: number;
  /** Events queued per SSE stream, once its socket is backed up, before the reader is closed with 1013 (slow consumer: a `close` event ends the stream). @default 100 (dev 10) */
  readonly sseBufferSize: number;
  /** Messages queued per WebSocket connection, once its socket is backed up, before it is closed with 1013 (slow consumer). @default 1_000 (dev 100) */
  readonly broadcastCapacity: number;
  /** Bytes queued per connection, WebSocket or SSE (beyond the socket buffer), before it is closed with 1013. @default 8 MiB */
  readonly maxQueuedBytes: number;
  /** Interval of server pings and of the client's app-level pings, in ms. @default 30_000 (dev 60_000) */
  readonly heartbeatInterval: number;
  /** A connection that answers nothing (no pong, no message) for this long after a ping is cut, in ms: a stalled link goes within `heartbeatInterval` + this. @default 60_000 (dev 300_000) */
  readonly connectionTimeout: number;
  /** Largest inbound text frame, in bytes; larger frames close the connection with 1009. @default 65_536 */
  readonly maxPayload: number;
  /**
   * Largest inbound binary frame, in bytes; larger frames close the connection with 1009. Announced
   * in `welcome.limits` like `maxPayload`, so clients refuse a larger publish before sending it.
   * @default 1_048_576
   */
  readonly maxBinaryPayload: number;
  /**
   * Bytes of inbound WebSocket messages still arriving (fragmented, or not yet fully read), summed
   * over all connections: a connection whose next frame would go past it is closed with 1009. With
   * the per-message limits above it bounds what slow or unfinished uploads can pin, whatever the
   * number of connections. One client address may hold at most an eighth of it (at least one
   * largest message), and messages up to 16 KiB are never refused for its sake, so one client's
   * unfinished uploads cannot shut out everyone else. @default 67_108_864 (64 MiB)
   */
  readonly maxInboundBytes: number;
  /** Topics one connection may subscribe to. @default 100 */
  readonly maxSubscriptions: number;
  /** Longest topic name accepted, in characters (the protocol caps it at 256). @default 200 */
  readonly maxTopicLength: number;
  /** Deepest JSON nesting accepted in an inbound frame. @default 32 */
  readonly maxDepth: number;
  /** Most messages a `rewind` subscribe gets: a larger `rewind` is served with this many, without an error. @default 100 */
  readonly maxRewind: number;
  /**
   * Requests (publish, subscribe, RPC…) one connection may have in progress; below the 200-frame
   * burst of `security.rateLimits.messagesPerConnection`, so a client that fills it at once is not
   * rate limited. A client that sends faster is slowed, never refused: requests past the cap wait,
   * unstarted, and the server stops reading its socket until half are done. Announced in `welcome.limits.maxInflight`, so clients queue
   * their own requests beyond it.
   * @default 100
   */
  readonly maxInflight: number;
  /**
   * Milliseconds a request waiting on application code (an RPC handler, a token verifier, an
   * `authorize` hook or a message filter) may stay in progress
   * before it stops holding its connection: its slot of `maxInflight` is freed, the requests queued
   * behind it go on, and the server reports it (`error` event). It is not answered then (a late
   * answer is still sent when it comes; the client's own timeout has told it by then). Without it,
   * a hook that never settles wedged the connection for good once `maxInflight` of them piled up.
   * @default 30_000
   */
  readonly requestTimeout: number;
}

const PRODUCTION: RealtimeLimits = {
  maxConnections: 10_000,
  sseBufferSize: 100,
  broadcastCapacity: 1_000,
  maxQueuedBytes: 8 * 1024 * 1024,
  heartbeatInterval: 30_000,
  connectionTimeout: 60_000,
  maxPayload: 64 * 1024,
  maxBinaryPayload: 1024 * 1024,
  maxInboundBytes: 64 * 1024 * 1024,
  maxSubscriptions: 100,
  maxTopicLength: 200,
  maxDepth: 32,
  maxRewind: 100,
  // Below the 200-frame burst of `messagesPerConnection`, with room left for pings and subscribes.
  maxInflight: 100,
  requestTimeout: 30_000,
};

const DEVELOPMENT: RealtimeLimits = {
  ...PRODUCTION,
  // Room for a demo's visitors: with the per-address (100) and per-user (20) caps, no one address
  // or user can hold more than a tenth of it.
  maxConnections: 1_000,
  sseBufferSize: 10,
  broadcastCapacity: 100,
  heartbeatInterval: 60_000,
  connectionTimeout: 300_000,
};

/** The presets. Each returns a fresh object that the overrides are merged into. */
export const RealtimeConfig = {
  /** Production defaults: 10,000 connections, SSE buffer 100, broadcast capacity 1,000, heartbeat 30 s, timeout 60 s. */
  production(overrides: Partial<RealtimeLimits> = {}): RealtimeLimits {
    return { ...PRODUCTION, ...overrides };
  },
  /** Development defaults: 1,000 connections, SSE buffer 10, broadcast capacity 100, heartbeat 60 s, timeout 300 s. */
  development(overrides: Partial<RealtimeLimits> = {}): RealtimeLimits {
    return { ...DEVELOPMENT, ...overrides };
  },
} as const;

/** Resolves options to complete limits (production values for anything not given). */
export function resolveLimits(options: Partial<RealtimeLimits>): RealtimeLimits {
  const limits = { ...PRODUCTION };
  for (const key of Object.keys(PRODUCTION) as (keyof RealtimeLimits)[]) {
    const value = options[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0)
        throw new RangeError(`${key} must be a non-negative number, got ${value}`);
      limits[key] = value;
    }
  }
  return limits;
}
