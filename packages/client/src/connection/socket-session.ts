import type { ServerEnvelope, Welcome } from '@oxidite/protocol';
import { decodeFrame } from '../wire/inbound';
import type { Frame } from '../wire/outbound';
import { after, type Cancel } from '../util/timers';
import { type Heartbeat, startHeartbeat } from './heartbeat';
import { OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket-like';

/** Close code reported when the client itself gives up on a connection (never sent on the wire). */
export const ABNORMAL_CLOSURE = 1006;

/** What one connection tells its owner. After `onClose`, or after `dispose()`, nothing more. */
export interface SessionHooks {
  /** The server's `welcome` arrived: the connection is usable. */
  onWelcome(welcome: Welcome): void;
  /** Any other envelope. */
  onEnvelope(envelope: ServerEnvelope): void;
  /** A frame that is not a valid server envelope arrived (it is dropped); `message` says why. */
  onMalformed(message: string): void;
  /** The connection ended: closed by the server, dropped, or given up on (code 1006). Called once. */
  onClose(code: number, reason: string): void;
}

/** Timing of one connection. */
export interface SessionTiming {
  /** No `welcome` within this many ms: give up on the attempt. */
  readonly connectionTimeout: number;
  /** No frame within this many ms of a heartbeat ping: give up on the connection. */
  readonly heartbeatTimeout: number;
}

const ignore = (): void => {};

/**
 * One WebSocket connection, from the attempt to its end: connection timeout, heartbeat, frame
 * decoding, and a close reported exactly once. Reconnecting is the owner's business: a session
 * never outlives its socket.
 */
export class SocketSession {
  readonly #socket: WebSocketLike;
  readonly #hooks: SessionHooks;
  readonly #timing: SessionTiming;
  #welcome: Welcome | undefined;
  #heartbeat: Heartbeat | undefined;
  #cancelConnectTimeout: Cancel;
  #isEnded = false;

  /** Opens the socket; throws what the WebSocket constructor throws (e.g. a malformed URL). */
  constructor(
    WebSocket: WebSocketConstructor,
    url: string,
    protocols: string[],
    timing: SessionTiming,
    hooks: SessionHooks,
  ) {
    this.#hooks = hooks;
    this.#timing = timing;
    this.#socket = new WebSocket(url, protocols);
    this.#socket.binaryType = 'arraybuffer';
    this.#socket.onmessage = (event) => this.#receive(event.data);
    this.#socket.onclose = (event) => this.#end(event.code, event.reason);
    this.#socket.onerror = ignore; // a close event always follows, with the code
    this.#cancelConnectTimeout = after(timing.connectionTimeout, () => this.#giveUp('connection timeout'));
  }

  /** The server's `welcome`, once it arrived. */
  get welcome(): Welcome | undefined {
    return this.#welcome;
  }

  /** Sends a frame; false if the socket is not open. */
  send(frame: Frame): boolean {
    if (this.#isEnded || this.#socket.readyState !== OPEN) return false;
    try {
      this.#socket.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the connection on the client's initiative; no hook is called afterwards. */
  dispose(code: number, reason: string): void {
    if (this.#isEnded) return;
    this.#stop();
    try {
      this.#socket.close(code, reason);
    } catch {
      this.#socket.terminate?.();
    }
  }

  #receive(data: unknown): void {
    if (this.#isEnded) return;
    this.#heartbeat?.seen();
    const decoded = decodeFrame(data);
    if (!decoded.ok) {
      this.#hooks.onMalformed(decoded.error.message);
      // A frame that could have been a message leaves a gap nothing would fill: reconnect, so the
      // resubscribes recover from the last offset. A type this version does not know is skipped
      // (a newer server's envelope must not cost a reconnect).
      if (decoded.error.code !== 'unknown_type') this.#giveUp('undecodable frame from the server');
      return;
    }
    const envelope = decoded.value;
    if (envelope.type !== 'welcome') {
      this.#hooks.onEnvelope(envelope);
      return;
    }
    if (this.#welcome) return;
    this.#welcome = envelope;
    this.#cancelConnectTimeout();
    this.#heartbeat = startHeartbeat(
      envelope.heartbeat,
      this.#timing.heartbeatTimeout,
      () => this.send('{"type":"ping"}'),
      () => this.#giveUp('heartbeat timeout'),
    );
    this.#hooks.onWelcome(envelope);
  }

  /** The connection is dead or never came up: drop it without waiting for a closing handshake. */
  #giveUp(reason: string): void {
    if (this.#isEnded) return;
    // `ws` can cut the TCP connection at once; a browser socket is closed and forgotten (the
    // closing handshake of a black-holed connection would hang until the browser's own timeout).
    if (this.#socket.terminate) this.#socket.terminate();
    else this.#socket.close(1000, reason);
    this.#end(ABNORMAL_CLOSURE, reason);
  }

  #end(code: number, reason: string): void {
    if (this.#isEnded) return;
    this.#stop();
    this.#hooks.onClose(code, reason);
  }

  #stop(): void {
    this.#isEnded = true;
    this.#cancelConnectTimeout();
    this.#heartbeat?.stop();
    // Keep no-op handlers rather than null: `ws` throws an 'error' event that has no listener.
    this.#socket.onmessage = ignore;
    this.#socket.onclose = ignore;
  }
}
