import type { Socket } from 'node:net';
import { CloseCode } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import type { RealtimeLimits } from '../config';
import type { OutboundMessage, Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { closeWebSocket } from './close-socket';

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;
const OPEN = 1;
/** After a slow-consumer close, how long the close handshake may take before the socket is cut. */
const SLOW_CLOSE_GRACE = 1_000;

interface Queued {
  readonly data: Buffer;
  readonly isBinary: boolean;
}

/**
 * The {@link Peer} used when permessage-deflate is on: `ws` must compress (and so frame) every
 * message itself, per socket. Frames go straight to the socket until the kernel stops
 * taking them; then they wait in a bounded per-connection queue (`broadcastCapacity` messages,
 * `maxQueuedBytes` bytes) until the socket drains. A connection that overflows it is a slow
 * consumer: closed with 1013, to recover from history when it comes back. The queue holds the
 * shared frame buffers, so a backlog costs pointers, not copies.
 */
export class CompressedWebSocketPeer implements Peer {
  readonly transport = 'websocket' as const;
  readonly #ws: WebSocket;
  readonly #socket: Socket | undefined;
  readonly #limits: RealtimeLimits;
  readonly #stats: RealtimeStats;
  #queue: Queued[] | undefined;
  #queuedBytes = 0;
  #isClosing = false;

  constructor(ws: WebSocket, limits: RealtimeLimits, stats: RealtimeStats) {
    this.#ws = ws;
    // `ws` keeps the net.Socket as `_socket`; its 'drain' event is what tells us the backlog cleared.
    this.#socket = (ws as unknown as { _socket?: Socket })._socket;
    this.#limits = limits;
    this.#stats = stats;
  }

  get isOpen(): boolean {
    return !this.#isClosing && this.#ws.readyState === OPEN;
  }

  deliver(message: OutboundMessage): void {
    this.#send(message.frame, message.isBinary);
  }

  sendControl(text: string): void {
    this.#send(Buffer.from(text), false);
  }

  whenWritable(): Promise<void> {
    if (!this.#queue || !this.isOpen || !this.#socket) return Promise.resolve();
    const socket = this.#socket;
    return new Promise((resolve) => socket.once('drain', () => resolve()));
  }

  close(code: CloseCode, reason: string): void {
    if (this.#isClosing) return;
    this.#isClosing = true;
    this.#queue = undefined;
    if (code === CloseCode.TRY_AGAIN_LATER) {
      // The socket is backed up: the close frame may never get through, so do not wait for it.
      setTimeout(() => this.#ws.terminate(), SLOW_CLOSE_GRACE).unref();
    }
    closeWebSocket(this.#ws, code, reason, this.#stats);
  }

  pauseReading(): void {
    if (!this.#ws.isPaused) this.#ws.pause();
  }

  resumeReading(): void {
    if (this.#ws.isPaused) this.#ws.resume();
  }

  terminate(): void {
    this.#isClosing = true;
    this.#queue = undefined;
    this.#ws.terminate();
  }

  #send(data: Buffer, isBinary: boolean): void {
    if (!this.isOpen) {
      this.#stats.dropped++;
      return;
    }
    if (this.#queue) {
      if (
        this.#queue.length >= this.#limits.broadcastCapacity ||
        this.#queuedBytes + data.length > this.#limits.maxQueuedBytes
      ) {
        this.#stats.dropped++;
        this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
        return;
      }
      this.#queue.push({ data, isBinary });
      this.#queuedBytes += data.length;
      return;
    }
    this.#ws.send(data, isBinary ? BINARY : TEXT);
    this.#stats.messagesOut++;
    this.#stats.bytesOut += data.length;
    if (this.#socket?.writableNeedDrain) {
      this.#queue = [];
      this.#socket.once('drain', this.#flush);
    }
  }

  readonly #flush = (): void => {
    const queue = this.#queue;
    this.#queue = undefined;
    this.#queuedBytes = 0;
    if (!queue) return;
    for (let i = 0; i < queue.length; i++) {
      const item = queue[i] as Queued;
      this.#send(item.data, item.isBinary);
      if (this.#queue && i + 1 < queue.length) {
        // Backed up again: keep the rest, in order, ahead of anything newer.
        const rest = queue.slice(i + 1);
        this.#queue = rest.concat(this.#queue);
        this.#queuedBytes = this.#queue.reduce((sum, q) => sum + q.data.length, 0);
        return;
      }
    }
  };
}
