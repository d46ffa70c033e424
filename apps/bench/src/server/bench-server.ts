/** What every server under test offers the publisher and the orchestrator. */
export interface BenchServer {
  readonly port: number;
  /** Publishes message number `n` on the `bench` topic to every subscriber; `t` is the monotonic send time. */
  publish(n: number, t: number): void;
  /** Connections currently subscribed to `bench` (or open, for the SSE streams). */
  connections(): number;
  /** Publishes `count` messages on the replay topic; returns the offset to resume from (Oxidite only). */
  prefill?(count: number): Promise<string>;
  /** Publishes messages numbered `from`..`to` on each of `topics` (with history), in order; resolves once all are stored. */
  publishNumbered?(topics: readonly string[], from: number, to: number): Promise<void>;
  /** Server-specific counters (slow consumers closed, drops…). */
  counters(): Record<string, number>;
  close(): Promise<void>;
}

/** The payload of every benchmark message: sequence number, send time, padding. */
export interface BenchPayload {
  readonly n: number;
  readonly t: number;
  readonly p: string;
}

/** A fixed 10-character epoch, the length of Oxidite's, so hand-written envelopes have the same size. */
export const RAW_EPOCH = 'k3x9q0a1zz';

/**
 * The `message` envelope the hand-written servers send: byte for byte the shape of an Oxidite
 * `message` frame, so every WebSocket target moves the same number of bytes.
 */
export function messageEnvelope(topic: string, n: number, payload: BenchPayload): string {
  return `{"type":"message","topic":"${topic}","offset":"${RAW_EPOCH}:${n}","ts":${Date.now()},"data":${JSON.stringify(payload)}}`;
}
