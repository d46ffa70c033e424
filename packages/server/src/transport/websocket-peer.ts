import type { Socket } from 'node:net';
import { CloseCode } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import { EncodingSlot, type Outbound, type OutboundEnvelope, type OutboundMessage, type Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { closeWebSocket } from './close-socket';
import { OutboundQueue, type OutboundQueueOptions } from './outbound-queue';
import { encodeFrameHeader, frameHeaderLength, Opcode, writeFrameHeader } from './websocket-frame';

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
 * Frames up to this size are written as one Buffer (header and payload copied together, once per
 * message): a lone frame then leaves in a plain `write` instead of a corked two-buffer `writev`,
 * which is most of what a fan-out of one message per tick costs above the system call. Larger
 * frames keep header and payload apart, so a big payload is never copied.
 */
const JOINED_FRAME_MAX = 16 * 1024;

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
  readonly #socket: Socket | undefined;
  readonly #stats: RealtimeStats;
  #isClosing = false;
  /** Only without the socket: its 'drain' is replaced by counting `ws.send` callbacks. */
  readonly #sends: PendingSends | undefined;

  constructor(ws: WebSocket, init: WebSocketPeerInit) {
    super(init.queue);
    if (init.queue.isBatched && !init.socket) throw new TypeError('frame-once writing needs the socket');
    this.#ws = ws;
    this.#socket = init.socket;
    this.#stats = init.stats;
    this.#sends = init.socket ? undefined : new PendingSends();
  }

  get transport(): 'websocket' {
    return 'websocket';
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
    this.#sendThroughWs(item);
    return this.#isBackedUp();
  }

  protected writeAll(items: readonly Outbound[]): boolean {
    const socket = this.#socket;
    if (!this.isBatched || !socket) {
      for (const item of items) this.#sendThroughWs(item);
      return this.#isBackedUp();
    }
    const only = items.length === 1 ? frameOf(items[0] as Outbound) : undefined;
    if (only !== undefined && !isSplit(only)) {
      socket.write(only); // the common case of one message per tick: one write, no cork, no writev
    } else {
      // One writev per group: more buffers than the kernel's IOV_MAX (1024) in one writev would be
      // split by libuv into an asynchronous remainder that looks like a backed-up socket.
      const perGroup = WRITEV_GROUP / 2;
      for (let start = 0; start < items.length; start += perGroup) {
        socket.cork();
        const end = Math.min(items.length, start + perGroup);
        for (let i = start; i < end; i++) {
          const frame = frameOf(items[i] as Outbound);
          if (isSplit(frame)) {
            socket.write(frame.header);
            socket.write(frame.payload);
          } else {
            socket.write(frame);
          }
        }
        socket.uncork();
      }
    }
    // Corked writes past the high-water mark report "need drain" even when the kernel then takes
    // them all; only bytes still buffered here mean the socket is really backed up.
    return socket.writableNeedDrain && socket.writableLength > 0;
  }

  protected onceDrain(listener: () => void): void {
    if (this.#sends) this.#sends.listener = listener;
    else this.#socket?.once('drain', listener);
  }

  protected onOverflow(): void {
    this.#stats.dropped++;
    this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
  }

  protected onWritten(messages: number, bytes: number): void {
    this.#stats.messagesOut += messages;
    this.#stats.bytesOut += bytes;
  }

  #push(item: Outbound): void {
    if (!this.isOpen) {
      this.#stats.dropped++;
      return;
    }
    this.enqueue(item, this.isBatched ? frameLength(frameOf(item)) : item.frame.length);
  }

  #isBackedUp(): boolean {
    const sends = this.#sends;
    if (sends) return sends.count > 0 && this.#ws.bufferedAmount > SEND_HIGH_WATER;
    return this.#socket?.writableNeedDrain === true;
  }

  #sendThroughWs(item: Outbound): void {
    const options = item.isBinary ? BINARY : TEXT;
    const sends = this.#sends;
    if (sends) {
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

/** A whole WebSocket frame: one Buffer, or header and payload apart (see {@link JOINED_FRAME_MAX}). */
type WireFrame = Buffer | SplitFrame;

interface SplitFrame {
  readonly header: Buffer;
  readonly payload: Buffer;
}

function isSplit(frame: WireFrame): frame is SplitFrame {
  return !(frame instanceof Uint8Array);
}

/** The WebSocket frame of a value, built once and shared by every socket it goes to. */
function frameOf(item: Outbound): WireFrame {
  return item.cache(EncodingSlot.WEBSOCKET_FRAME, buildFrame);
}

function buildFrame(item: Outbound): WireFrame {
  const text = item.hasFrame ? undefined : item.text();
  if (text !== undefined) {
    // A text value nobody has encoded yet (a reply, a message to WebSocket subscribers only):
    // its UTF-8 goes straight behind the header, and the payload bytes are shared back with it.
    const length = Buffer.byteLength(text);
    if (length > JOINED_FRAME_MAX) {
      item.adoptFrame(Buffer.from(text)); // the text is built: not a second time below
    } else {
      const start = frameHeaderLength(length);
      const frame = Buffer.allocUnsafe(start + length);
      writeFrameHeader(frame, length, Opcode.TEXT);
      frame.write(text, start, length, 'utf8');
      item.adoptFrame(frame.subarray(start));
      return frame;
    }
  }
  const payload = item.frame;
  const header = encodeFrameHeader(payload.length, item.isBinary ? Opcode.BINARY : Opcode.TEXT);
  return payload.length > JOINED_FRAME_MAX ? { header, payload } : Buffer.concat([header, payload]);
}

function frameLength(frame: WireFrame): number {
  return isSplit(frame) ? frame.header.length + frame.payload.length : frame.length;
}
