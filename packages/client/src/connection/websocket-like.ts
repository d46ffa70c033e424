import { ErrorCode, RealtimeError } from '@oxidite/protocol';

/**
 * An event handler whose parameter is checked bivariantly (the idiom React's types use), so that
 * sockets with richer event types — the DOM's, `ws`'s — fit {@link WebSocketLike} as they are.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** What the client reads from a close event. */
export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/** What the client reads from a message event: a string, an `ArrayBuffer` or a byte view. */
export interface MessageEventLike {
  readonly data: unknown;
}

/**
 * The part of a WebSocket the client uses. The browser's `WebSocket` and `ws`'s `WebSocket` both
 * fit, so the client needs neither the DOM library nor Node's.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Set to `'arraybuffer'` by the client. */
  binaryType: string;
  onopen: Handler<unknown> | null;
  onclose: Handler<CloseEventLike> | null;
  onerror: Handler<unknown> | null;
  onmessage: Handler<MessageEventLike> | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** Drops the connection at once, without a closing handshake (`ws` has it; browsers do not). */
  terminate?(): void;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers and Node ≥ 22, `WebSocket` from `ws` on Node 20. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The `readyState` of an open socket. */
export const OPEN = 1;

/** The injected WebSocket class, else the global one; throws a helpful error when there is neither. */
export function resolveWebSocket(injected: WebSocketConstructor | undefined): WebSocketConstructor {
  const found = injected ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof found !== 'function') {
    throw new RealtimeError(
      ErrorCode.INVALID,
      "No WebSocket implementation: on Node 20, pass createClient({ WebSocket }) with WebSocket from 'ws'",
    );
  }
  return found;
}
