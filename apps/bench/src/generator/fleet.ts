import { monoMs } from '../shared/clock';
import type { LatencyRecorder } from './latency';

/** Subscribers of one kind (raw WebSocket, Socket.IO, SSE) that count what they receive. */
export interface SubscriberFleet {
  /** Messages received by all subscribers since they subscribed. */
  readonly received: number;
  /** Subscribed connections that closed or failed since. */
  readonly lost: number;
  /** Subscribed connections. */
  readonly size: number;
  /** When set, the one-way latency of every received message is recorded. */
  latency: LatencyRecorder | undefined;
  /** Opens one connection and resolves once it is subscribed. */
  openOne(): Promise<void>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** Outcome of {@link openMany}. */
export interface OpenResult {
  readonly opened: number;
  readonly failed: number;
  readonly seconds: number;
  /** The first failure, to explain a short count. */
  readonly firstError: string | undefined;
}

/**
 * Opens `count` connections with `concurrency` handshakes in flight; bounded by `timeoutMs` (no
 * new attempt starts after it) and by the per-connection timeout of `open` itself.
 */
export async function openMany(
  open: () => Promise<unknown>,
  count: number,
  concurrency: number,
  timeoutMs: number,
): Promise<OpenResult> {
  const start = monoMs();
  const deadline = start + timeoutMs;
  let started = 0;
  let opened = 0;
  let failed = 0;
  let firstError: string | undefined;
  async function lane(): Promise<void> {
    while (started < count && monoMs() < deadline) {
      started++;
      try {
        await open();
        opened++;
      } catch (error) {
        failed++;
        firstError ??= String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { opened, failed, seconds: (monoMs() - start) / 1000, firstError };
}

/** Rejects with a timeout error unless `promise` settles within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
