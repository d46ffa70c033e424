import type { Socket } from 'node:net';
import { CloseCode } from '@oxidite/protocol';
import type { WebSocket } from 'ws';
import type { RealtimeLimits } from '../config';
import { EncodingSlot, type OutboundMessage, type Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { closeWebSocket } from './close-socket';
import { encodeFrameHeader, Opcode } from './websocket-frame';

const OPEN = 1;
/** After a slow-consumer close, how long the close handshake may take before the socket is cut. */
const SLOW_CLOSE_GRACE = 1_000;
/** Buffers per writev (header and payload count as two); well under IOV_MAX. */
const WRITEV_GROUP = 512;

/**
 * A {@link Peer} over a `ws` socket, writing frames itself so that one publish costs one frame
 * header (shared by all subscribers) and, per socket, one system call per event-loop tick:
 *
 * - Frames written during a tick are collected and flushed together on `process.nextTick` as one
 *   corked write (Node's `http` batches the same way). A tick's batch is bounded by
 *   `maxQueuedBytes`; the frame buffers are shared, so it holds pointers, not copies.
 * - When the kernel stops taking data (`writableNeedDrain`), frames wait in a queue bounded by
 *   `broadcastCapacity` messages and `maxQueuedBytes` bytes until 'drain'. A connection that
 *   overflows it is a slow consumer: closed with 1013, to recover from history when it returns.
 *
 * Writing beside `ws` is safe because permessage-deflate is off on this path (then `ws` itself
 * writes each frame synchronously, and only pings and the close frame go through it).
 */
export class WebSocketPeer implements Peer {
  readonly transport = 'websocket' as const;
  readonly #ws: WebSocket;
  readonly #socket: Socket;
  readonly #limits: RealtimeLimits;
  readonly #stats: RealtimeStats;
  #batch: Buffer[] | undefined;
  #batchBytes = 0;
  #queue: Buffer[] | undefined;
  #queuedMessages = 0;
  #queuedBytes = 0;
  #isClosing = false;
  #drainWaiters: (() => void)[] | undefined;

  constructor(ws: WebSocket, socket: Socket, limits: RealtimeLimits, stats: RealtimeStats) {
    this.#ws = ws;
    this.#socket = socket;
    this.#limits = limits;
    this.#stats = stats;
  }

  get isOpen(): boolean {
    return !this.#isClosing && this.#ws.readyState === OPEN;
  }

  deliver(message: OutboundMessage): void {
    const header = message.cache(EncodingSlot.WEBSOCKET_HEADER, (m) =>
      encodeFrameHeader(m.frame.length, m.isBinary ? Opcode.BINARY : Opcode.TEXT),
    );
    this.#send(header, message.frame);
  }

  sendControl(text: string): void {
    const payload = Buffer.from(text);
    this.#send(encodeFrameHeader(payload.length, Opcode.TEXT), payload);
  }

  /** Resolves once nothing is waiting for the socket to drain (immediately if nothing is). */
  whenWritable(): Promise<void> {
    if (this.#batch) return new Promise((resolve) => process.nextTick(() => resolve(this.whenWritable())));
    if (!this.#queue || !this.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drainWaiters ??= [];
      this.#drainWaiters.push(resolve);
    });
  }

  close(code: CloseCode, reason: string): void {
    if (this.#isClosing) return;
    if (code === CloseCode.TRY_AGAIN_LATER) {
      // The socket is backed up: the close frame may never get through, so do not wait for it.
      setTimeout(() => this.#ws.terminate(), SLOW_CLOSE_GRACE).unref();
    } else {
      this.flushBatch(); // what was sent before the close must precede the close frame
    }
    this.#isClosing = true;
    this.#batch = undefined;
    this.#queue = undefined;
    this.#releaseWaiters();
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
    this.#batch = undefined;
    this.#queue = undefined;
    this.#releaseWaiters();
    this.#ws.terminate();
  }

  #send(header: Buffer, payload: Buffer): void {
    if (!this.isOpen) {
      this.#stats.dropped++;
      return;
    }
    const bytes = header.length + payload.length;
    if (this.#queue) {
      if (
        this.#queuedMessages >= this.#limits.broadcastCapacity ||
        this.#queuedBytes + bytes > this.#limits.maxQueuedBytes
      ) {
        this.#slowConsumer();
        return;
      }
      this.#queue.push(header, payload);
      this.#queuedMessages++;
      this.#queuedBytes += bytes;
      return;
    }
    if (!this.#batch) {
      this.#batch = [];
      process.nextTick(flushBatch, this);
    } else if (this.#batchBytes + bytes > this.#limits.maxQueuedBytes) {
      this.#slowConsumer();
      return;
    }
    this.#batch.push(header, payload);
    this.#batchBytes += bytes;
    this.#stats.messagesOut++;
    this.#stats.bytesOut += bytes;
  }

  /** Writes what this tick collected (scheduled by the first frame of the tick). */
  flushBatch(): void {
    const batch = this.#batch;
    this.#batch = undefined;
    this.#batchBytes = 0;
    if (!batch || batch.length === 0 || !this.isOpen) return;
    this.#writeAll(batch);
  }

  #writeAll(buffers: Buffer[]): void {
    const socket = this.#socket;
    // One writev per group: more buffers than the kernel's IOV_MAX (1024) in one writev would be
    // split by libuv into an asynchronous remainder that looks like a backed-up socket.
    for (let start = 0; start < buffers.length; start += WRITEV_GROUP) {
      socket.cork();
      const end = Math.min(buffers.length, start + WRITEV_GROUP);
      for (let i = start; i < end; i++) socket.write(buffers[i] as Buffer);
      socket.uncork();
    }
    // Uncorking hands everything to the kernel at once. Corked writes past the high-water mark
    // report "need drain" even when the kernel then takes it all; only bytes still buffered here
    // mean the socket is really backed up.
    if (socket.writableNeedDrain && socket.writableLength > 0 && !this.#queue) {
      this.#queue = [];
      socket.once('drain', () => this.#flushQueue());
    }
  }

  #flushQueue(): void {
    const queue = this.#queue;
    this.#queue = undefined;
    this.#queuedMessages = 0;
    this.#queuedBytes = 0;
    if (queue && queue.length > 0 && this.isOpen) {
      this.#stats.messagesOut += queue.length / 2;
      for (const buffer of queue) this.#stats.bytesOut += buffer.length;
      this.#writeAll(queue);
    }
    if (!this.#queue) this.#releaseWaiters();
  }

  #releaseWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = undefined;
    for (const resolve of waiters ?? []) resolve();
  }

  #slowConsumer(): void {
    this.#stats.dropped++;
    this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
  }
}

function flushBatch(peer: WebSocketPeer): void {
  peer.flushBatch();
}
