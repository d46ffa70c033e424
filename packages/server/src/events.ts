import { EventEmitter } from 'node:events';
import type { CloseInfo, SubscribeInfo, UnsubscribeInfo } from './hub';
import type { ConnectionInfo } from './security';

/** Events of a realtime server, for `rt.on(event, listener)`. */
export type RealtimeServerEvents = {
  /** A connection opened (after admission). */
  connection: [connection: ConnectionInfo];
  /** A connection closed, for whatever reason: `close` says with which code (1006: the link dropped). */
  disconnect: [connection: ConnectionInfo, close: CloseInfo];
  /** A subscription went live: `subscribed` was sent, with the history replay it asked for. */
  subscribe: [connection: ConnectionInfo, subscription: SubscribeInfo];
  /** A live subscription ended: the client unsubscribed, or its connection closed. */
  unsubscribe: [connection: ConnectionInfo, subscription: UnsubscribeInfo];
  /** An unexpected server-side error (never a peer's bad input, which gets an `error` envelope). */
  error: [error: unknown, context: string];
};

/** A typed EventEmitter. `error` events without a listener are dropped, never thrown. */
export class TypedEmitter<E extends Record<string, unknown[]>> {
  readonly #emitter = new EventEmitter();

  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): () => void {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.#emitter.off(event, listener as (...args: unknown[]) => void);
  }

  emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    if (event === 'error' && this.#emitter.listenerCount('error') === 0) return;
    this.#emitter.emit(event, ...args);
  }
}
