/**
 * The connection state of a client:
 * - `connecting`: the first connection is being made;
 * - `open`: connected, subscriptions restored, the offline queue flushed;
 * - `reconnecting`: an attempt failed or the connection dropped; retrying with backoff;
 * - `closed`: for good, after `client.close()`, a close code that says stop, or `maxRetries`.
 */
export type ClientState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A state change, as emitted by the client's `state` event. */
export interface StateChange {
  readonly from: ClientState;
  readonly to: ClientState;
  /** The close code that caused it, when a connection closed (1006 when it dropped or timed out). */
  readonly code?: number | undefined;
  /** Why, in words: the server's close reason, or the client's own (`heartbeat timeout`). */
  readonly reason?: string | undefined;
}

/** A scheduled reconnect, as emitted by the client's `retry` event. */
export interface Retry {
  /** 1 for the first attempt after a healthy connection dropped, then 2, 3, … */
  readonly attempt: number;
  /** Milliseconds until the attempt (the backoff with its jitter). */
  readonly delay: number;
}
