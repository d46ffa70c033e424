import type { Socket } from 'node:net';
import { CloseCode } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import type { Outbound, OutboundEnvelope, OutboundMessage, Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { closeWebSocket } from './close-socket';
import { OutboundQueue, type OutboundQueueOptions } from './outbound-queue';
import { frameLength, frameOf, isBackedUp, writeFrame } from './websocket-frame';

const OPEN = 1;
const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;
/** After a slow-consumer close, how long the close handshake may take before the socket is cut. */
const SLOW_CLOSE_GRACE = 1_000;
/** Buffers per writev (header and payload count as two); well under IOV_MAX. */
const WRITEV_GROUP = 512;
/** Without the socket's 'drain', `ws`'s buffered bytes past Node's default high-water mark mean "backed up". */
const SEND_HIGH_WATER = 16 * 1024;

/**
 * The peer whose client's request is being handled synchronously while no other frame of that
 * client waits unread: what it sends now is the answer, and nothing could join it in a batch, so
 * it is written at once (see `enqueueNow`). Module state, not a field: a field costs every idle
 * connection memory, and only one request is ever handled at a time.
 */
let answering: Peer | undefined;

/**
 * Marks the peer whose request is handled until the next call (`undefined`: none). The transport
 * sets it around the handling of the last unread frame of a read.
 */
export function answerAtOnce(peer: Peer | undefined): void {
  answering = peer;
}

/** How a {@link WebSocketPeer} writes. */
export interface WebSocketPeerInit {
  /** The socket under `ws` (see `rawSocketOf`); undefined when `ws` internals were not found. */
  readonly socket: Socket | undefined;
  /**
   * Bounds of the outbox, shared by every peer of the transport. `isBatched` picks frame-once
   * writing: frames go to `socket` directly, one header shared by every subscriber of a message,
   * a tick at a time (without permessage-deflate only, and only with `socket`). Otherwise
   * `ws.send` frames (and compresses) each message.
   */
  readonly queue: OutboundQueueOptions;
  readonly stats: RealtimeStats;
}

/**
 * A {@link Peer} over a `ws` socket. Without permessage-deflate it writes frames itself, so that
 * one publish costs one frame header (shared by all subscribers) and, per socket, one system call
 * per event-loop tick. Writing beside `ws` is safe because `ws` then writes its own frames
 * (pings, close) synchronously. With permessage-deflate, `ws.send` compresses and frames each
 * message. Either way a reader that overflows the bounded outbox ({@link OutboundQueue}) is a
 * slow consumer: closed with 1013, to recover from history when it returns.
 */
export class WebSocketPeer extends OutboundQueue<Outbound> implements Peer {
  readonly #ws: WebSocket;
  /**
   * The socket under `ws`; without it, the count of `ws.send` callbacks that stands in for its
   * 'drain'. One field for the two (8 bytes per idle connection, issue #18 goal 3).
   */
  readonly #link: Socket | PendingSends;
  readonly #stats: RealtimeStats;
  #isClosing = false;
  /** The socket's `bytesRead` when {@link hasReadSinceLastCheck} last looked. */
  #bytesSeen = 0;

  constructor(ws: WebSocket, init: WebSocketPeerInit) {
    super(init.queue);
    if (init.queue.isBatched && !init.socket) throw new TypeError('frame-once writing needs the socket');
    this.#ws = ws;
    this.#link = init.socket ?? new PendingSends();
    this.#stats = init.stats;
  }

  get transport(): 'websocket' {
    return 'websocket';
  }

  /** The socket (the transport's heartbeat pings and cuts it). */
  get webSocket(): WebSocket {
    return this.#ws;
  }

  get isOpen(): boolean {
    return !this.#isClosing && this.#ws.readyState === OPEN;
  }

  deliver(message: OutboundMessage): void {
    this.push(message);
  }

  send(envelope: OutboundEnvelope): void {
    this.push(envelope);
  }

  close(code: CloseCode, reason: string): void {
    if (this.#isClosing) return;
    if (code === CloseCode.TRY_AGAIN_LATER) {
      // The socket is backed up: the close frame may never get through, so do not wait for it.
      setTimeout(() => this.#ws.terminate(), SLOW_CLOSE_GRACE).unref();
    } else {
      this.flushQueue(); // what was sent before the close must precede the close frame
    }
    this.#isClosing = true;
    this.clearQueue();
    closeWebSocket(this.#ws, code, reason, this.#stats);
  }

  /**
   * Whether any bytes (a frame, a pong) arrived since the previous call; undefined without the
   * socket. The heartbeat learns that a client is alive from this rather than from a 'pong'
   * listener per socket: a fourth listener grows `ws`'s listener table by about 100 bytes per
   * idle connection (issue #18, goal 3).
   */
  hasReadSinceLastCheck(): boolean | undefined {
    const socket = this.#link;
    if (socket instanceof PendingSends) return undefined;
    const read = socket.bytesRead;
    if (read === this.#bytesSeen) return false;
    this.#bytesSeen = read;
    return true;
  }

  pauseReading(): void {
    if (!this.#ws.isPaused) this.#ws.pause();
  }

  resumeReading(): void {
    if (this.#ws.isPaused) this.#ws.resume();
  }

  terminate(): void {
    this.#isClosing = true;
    this.clearQueue();
    this.#ws.terminate();
  }

  protected writeOne(item: Outbound): boolean {
    if (!this.isBatched) {
      this.sendThroughWs(item);
      return this.isBackedUp();
    }
    const socket = this.#link as Socket; // batched only with the socket (see the constructor)
    writeFrame(socket, frameOf(item));
    return isBackedUp(socket);
  }

  protected writeAll(items: readonly Outbound[]): boolean {
    const socket = this.#link as Socket; // when batched (see the constructor)
    if (!this.isBatched) {
      for (const item of items) this.sendThroughWs(item);
      return this.isBackedUp();
    }
    // The common case of one message per tick: one write, no cork, no writev.
    if (items.length === 1) return this.writeOne(items[0] as Outbound);
    // One writev per group: more buffers than the kernel's IOV_MAX (1024) in one writev would be
    // split by libuv into an asynchronous remainder that looks like a backed-up socket.
    const perGroup = WRITEV_GROUP / 2;
    for (let start = 0; start < items.length; start += perGroup) {
      socket.cork();
      const end = Math.min(items.length, start + perGroup);
      for (let i = start; i < end; i++) writeFrame(socket, frameOf(items[i] as Outbound));
      socket.uncork();
    }
    return isBackedUp(socket);
  }

  protected onceDrain(listener: () => void): void {
    const link = this.#link;
    if (link instanceof PendingSends) link.listener = listener;
    else link.once('drain', listener);
  }

  protected onOverflow(): void {
    this.#stats.dropped++;
    this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
  }

  protected onWritten(messages: number, bytes: number): void {
    this.#stats.messagesOut += messages;
    this.#stats.bytesOut += bytes;
  }

  // TypeScript-private, not `#`: a `#` method stamps a brand on every instance (8 bytes each).
  private push(item: Outbound): void {
    if (!this.isOpen) {
      this.#stats.dropped++;
      return;
    }
    const bytes = this.isBatched ? frameLength(frameOf(item)) : item.frame.length;
    if (answering === this) this.enqueueNow(item, bytes);
    else this.enqueue(item, bytes);
  }

  private isBackedUp(): boolean {
    const link = this.#link;
    if (link instanceof PendingSends) return link.count > 0 && this.#ws.bufferedAmount > SEND_HIGH_WATER;
    return link.writableNeedDrain;
  }

  private sendThroughWs(item: Outbound): void {
    const options = item.isBinary ? BINARY : TEXT;
    const sends = this.#link;
    if (sends instanceof PendingSends) {
      sends.count++;
      this.#ws.send(item.frame, options, sends.done);
    } else {
      this.#ws.send(item.frame, options);
    }
  }
}

/** `ws.send` calls not yet written to the socket, for a peer that cannot listen to the socket's 'drain'. */
class PendingSends {
  count = 0;
  listener: (() => void) | undefined;
  readonly done = (): void => {
    this.count--;
    if (this.count > 0 || !this.listener) return;
    const listener = this.listener;
    this.listener = undefined;
    listener();
  };
}
