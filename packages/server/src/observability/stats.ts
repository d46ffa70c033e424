/** Counters of a running server; `rt.stats()` returns a snapshot. */
export interface RealtimeStats {
  /** Open connections by transport. */
  connections: { websocket: number; sse: number };
  /** Connections accepted since start. */
  connectionsTotal: number;
  /** Connections refused before they opened (origin, auth, limits), since start. */
  connectionsRefused: number;
  /** Live subscriptions (connection × topic). */
  subscriptions: number;
  /** Frames received from clients. */
  messagesIn: number;
  /** Frames sent to clients (every copy counts). */
  messagesOut: number;
  /** Bytes received from clients. */
  bytesIn: number;
  /** Bytes sent to clients. */
  bytesOut: number;
  /** Messages published (once per publish, whatever the fan-out). */
  published: number;
  /** Deliveries that failed or were skipped because the connection was closing. */
  dropped: number;
  /** Connections closed for falling behind (1013 / SSE end). */
  slowConsumersClosed: number;
  /** Inbound frames rejected as malformed, unknown, invalid or too large. */
  invalidFrames: number;
  /** Requests refused by authorization. */
  forbidden: number;
  /** Requests refused by rate limits. */
  rateLimited: number;
  /**
   * Connections the server closed, by close code (`{ 1013: 2, 4401: 1 }`); SSE ends count under the
   * code their `close` event carried, and connections cut for missing the heartbeat under 1006.
   */
  closes: Record<number, number>;
}

/** Fresh zeroed counters. */
export function createStats(): RealtimeStats {
  return {
    connections: { websocket: 0, sse: 0 },
    connectionsTotal: 0,
    connectionsRefused: 0,
    subscriptions: 0,
    messagesIn: 0,
    messagesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    published: 0,
    dropped: 0,
    slowConsumersClosed: 0,
    invalidFrames: 0,
    forbidden: 0,
    rateLimited: 0,
    closes: {},
  };
}

/** A deep copy, so callers cannot mutate the live counters. */
export function snapshotStats(stats: RealtimeStats): RealtimeStats {
  return { ...stats, connections: { ...stats.connections }, closes: { ...stats.closes } };
}
