import type { Socket } from 'node:net';
import { CloseCode } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import { EncodingSlot, type Outbound, type OutboundEnvelope, type OutboundMessage, type Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { closeWebSocket } from './close-socket';
import { type OutboundLink, OutboundQueue, type OutboundQueueOptions } from './outbound-queue';
import { encodeFrameHeader, Opcode } from './websocket-frame';

const OPEN = 1;
const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;
/** After a slow-consumer close, how long the close handshake may take before the socket is cut. */
const SLOW_CLOSE_GRACE = 1_000;
/** Buffers per writev (header and payload count as two); well under IOV_MAX. */
const WRITEV_GROUP = 512;
/** Bytes `ws` may hold (compressing, or in the socket) before the peer counts it as backed up: Node's default high-water mark. */
const SEND_HIGH_WATER = 16 * 1024;

/** How a {@link WebSocketPeer} writes. */
export interface WebSocketPeerInit {
  /** The socket under `ws` (see `rawSocketOf`): its 'drain' tells when a backlog can go; undefined if not found. */
  readonly socket: Socket | undefined;
  /**
   * Write frames to `socket` directly, one header shared by every subscriber of a message. Only
   * without permessage-deflate; otherwise (or without `socket`) `ws.send` frames each message.
   */
  readonly isFrameOnce: boolean;
  /** Bounds of the outbox, shared by every peer of the transport. */
  readonly queue: OutboundQueueOptions;
  readonly stats: RealtimeStats;
}

/**
 * A {@link Peer} over a `ws` socket. Without permessage-deflate it writes frames itself, so that
 * one publish costs one frame header (shared by all subscribers) and, per socket, one system call
 * per event-loop tick (the {@link OutboundQueue} batches a tick's frames into one corked write).
 * Writing beside `ws` is safe because `ws` then writes its own frames (pings, close)
 * synchronously. With permessage-deflate, `ws.send` compresses and frames each message. Either
 * way a reader that overflows the bounded outbox is a slow consumer: closed with 1013, to recover
 * from history when it returns.
 */
export class WebSocketPeer implements Peer, OutboundLink<Outbound> {
  readonly transport = 'websocket' as const;
  readonly #ws: WebSocket;
  readonly #socket: Socket | undefined;
  readonly #isFrameOnce: boolean;
  readonly #stats: RealtimeStats;
  readonly #queue: OutboundQueue<Outbound>;
  #isClosing = false;
  /** `ws.send` calls not yet written out, counted (by `ws.send`'s callback) only when the socket is unknown. */
  #unsent = 0;
  #onSent: ((error?: Error) => void) | undefined;
  #drainListener: (() => void) | undefined;

  constructor(ws: WebSocket, init: WebSocketPeerInit) {
    this.#ws = ws;
    this.#socket = init.socket;
    this.#isFrameOnce = init.isFrameOnce && init.socket !== undefined;
    this.#stats = init.stats;
    this.#queue = new OutboundQueue(this, init.queue);
  }

  get isOpen(): boolean {
    return !this.#isClosing && this.#ws.readyState === OPEN;
  }

  deliver(message: OutboundMessage): void {
    this.#push(message);
  }

  send(envelope: OutboundEnvelope): void {
    this.#push(envelope);
  }

  whenWritable(): Promise<void> {
    return this.#queue.whenWritable();
  }

  close(code: CloseCode, reason: string): void {
    if (this.#isClosing) return;
    if (code === CloseCode.TRY_AGAIN_LATER) {
      // The socket is backed up: the close frame may never get through, so do not wait for it.
      setTimeout(() => this.#ws.terminate(), SLOW_CLOSE_GRACE).unref();
    } else {
      this.#queue.flush(); // what was sent before the close must precede the close frame
    }
    this.#isClosing = true;
    this.#queue.clear();
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
    this.#queue.clear();
    this.#ws.terminate();
  }

  #push(item: Outbound): void {
    if (!this.isOpen) {
      this.#stats.dropped++;
      return;
    }
    const bytes = this.#isFrameOnce ? headerOf(item).length + item.frame.length : item.frame.length;
    this.#queue.push(item, bytes);
  }

  /** @internal {@link OutboundLink} */
  writeOne(item: Outbound): boolean {
    if (this.#isFrameOnce) return this.writeAll([item]);
    this.#sendThroughWs(item);
    return this.#isBackedUp();
  }

  /** @internal {@link OutboundLink} */
  writeAll(items: readonly Outbound[]): boolean {
    if (!this.#isFrameOnce) {
      for (const item of items) this.#sendThroughWs(item);
      return this.#isBackedUp();
    }
    const socket = this.#socket as Socket;
    // One writev per group: more buffers than the kernel's IOV_MAX (1024) in one writev would be
    // split by libuv into an asynchronous remainder that looks like a backed-up socket.
    const perGroup = WRITEV_GROUP / 2;
    for (let start = 0; start < items.length; start += perGroup) {
      socket.cork();
      const end = Math.min(items.length, start + perGroup);
      for (let i = start; i < end; i++) {
        const item = items[i] as Outbound;
        socket.write(headerOf(item));
        socket.write(item.frame);
      }
      socket.uncork();
    }
    return this.#isBackedUp();
  }

  /** @internal {@link OutboundLink} */
  onceDrain(listener: () => void): void {
    if (this.#socket) this.#socket.once('drain', listener);
    else this.#drainListener = listener;
  }

  /** @internal {@link OutboundLink} */
  onOverflow(): void {
    this.#stats.dropped++;
    this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
  }

  /** @internal {@link OutboundLink} */
  onWritten(messages: number, bytes: number): void {
    this.#stats.messagesOut += messages;
    this.#stats.bytesOut += bytes;
  }

  #isBackedUp(): boolean {
    const socket = this.#socket;
    if (!socket) return this.#unsent > 0 && this.#ws.bufferedAmount > SEND_HIGH_WATER;
    // Corked writes past the high-water mark report "need drain" even when the kernel then takes
    // them all; only bytes still buffered here mean the socket is really backed up.
    return socket.writableNeedDrain && (!this.#isFrameOnce || socket.writableLength > 0);
  }

  #sendThroughWs(item: Outbound): void {
    if (this.#socket) {
      this.#ws.send(item.frame, item.isBinary ? BINARY : TEXT);
      return;
    }
    this.#onSent ??= () => {
      this.#unsent--;
      if (this.#unsent > 0 || !this.#drainListener) return;
      const listener = this.#drainListener;
      this.#drainListener = undefined;
      listener();
    };
    this.#unsent++;
    this.#ws.send(item.frame, item.isBinary ? BINARY : TEXT, this.#onSent);
  }
}

/** The WebSocket frame header of a value, built once and shared by every socket it goes to. */
function headerOf(item: Outbound): Buffer {
  return item.cache(EncodingSlot.WEBSOCKET_HEADER, buildHeader);
}

function buildHeader(item: Outbound): Buffer {
  return encodeFrameHeader(item.frame.length, item.isBinary ? Opcode.BINARY : Opcode.TEXT);
}
