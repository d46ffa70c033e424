import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatSseComment, formatSseEvent, formatSseRetry, type SseEventInit } from '@oxidite/protocol';
import { OutboundQueue } from './outbound-queue';

/** Response headers of an event stream (also the answer to `HEAD`). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform: proxies must not compress or rewrite the stream (that would buffer it).
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};

/** Options of {@link openEventStream}. */
export interface EventStreamOptions {
  /** Reconnection delay suggested to the browser (`retry:`), in ms. @default 3_000 */
  readonly retry?: number | undefined;
  /** Interval of comment heartbeats that keep proxies from closing an idle stream, in ms (0: none). @default 15_000 */
  readonly heartbeatInterval?: number | undefined;
  /** Events queued while the socket is backed up before the stream is ended. @default 100 */
  readonly bufferSize?: number | undefined;
  /** Bytes of events queued while the socket is backed up before the stream is ended. @default Infinity */
  readonly maxQueuedBytes?: number | undefined;
  /** Extra response headers (e.g. CORS). @default none */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Called when the reader fell behind `bufferSize` events or `maxQueuedBytes` bytes, before the
   * stream is ended (it may end it itself, with a last event). @default none
   */
  readonly onOverflow?: (() => void) | undefined;
}

/**
 * One Server-Sent Events response with backpressure: the events of a tick are written together
 * while the socket takes them, queued (up to `bufferSize` events, `maxQueuedBytes` bytes) while it
 * is backed up, and a reader that falls further behind is ended, so a stalled client can never
 * grow the server's memory. Use it for custom streams
 * (periodic updates, metrics); topic streams use it under the hood.
 *
 * @example
 * const stream = openEventStream(req, res);
 * const timer = setInterval(() => stream.send({ event: 'tick', data: JSON.stringify({ at: Date.now() }) }), 10_000);
 * stream.onClose(() => clearInterval(timer));
 */
export class EventStream {
  readonly #res: ServerResponse;
  readonly #closeListeners: (() => void)[] = [];
  readonly #queue: ResponseQueue;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #isOpen = true;

  constructor(req: IncomingMessage, res: ServerResponse, options: EventStreamOptions = {}) {
    this.#res = res;
    this.#queue = new ResponseQueue(res, this, options);
    res.writeHead(200, { ...EVENT_STREAM_HEADERS, ...options.headers });
    res.socket?.setNoDelay(true);
    res.write(formatSseRetry(options.retry ?? 3_000));
    const interval = options.heartbeatInterval ?? 15_000;
    if (interval > 0) {
      this.#heartbeat = setInterval(() => this.comment('ping'), interval);
      this.#heartbeat.unref();
    }
    const closed = (): void => this.#closed();
    req.once('close', closed);
    res.once('close', closed);
    res.on('error', closed);
  }

  /** False once the stream ended, whoever ended it. */
  get isOpen(): boolean {
    return this.#isOpen;
  }

  /** Sends one event (`data`, `event`, `id`, `retry`); throws TypeError for CR/LF in `event`/`id`. */
  send(event: SseEventInit): void {
    this.write(formatSseEvent(event));
  }

  /** Sends a comment line (ignored by clients; keeps intermediaries from timing out). */
  comment(text: string): void {
    this.write(formatSseComment(text));
  }

  /**
   * Writes pre-formatted pieces of one event (a shared frame buffer can be one of them), in order
   * with everything else. Returns false if the stream is closed or was just ended for overflow.
   */
  write(pieces: string | Buffer | (string | Buffer)[]): boolean {
    if (!this.#isOpen) return false;
    const chunk = Array.isArray(pieces) ? concat(pieces) : pieces;
    return this.#queue.push(chunk, typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
  }

  /** Bytes of events waiting for the socket. */
  get queuedBytes(): number {
    return this.#queue.queuedBytes;
  }

  /** Resolves when nothing is queued behind a backed-up socket (immediately if nothing is). */
  whenWritable(): Promise<void> {
    return this.#queue.whenWritable();
  }

  /**
   * Ends the response after what was sent in this tick, then `last` if given. Events waiting
   * behind a backed-up socket are dropped (a reader resumes after what it received, with
   * `Last-Event-ID`); `last` is written all the same.
   */
  end(last?: SseEventInit): void {
    if (!this.#isOpen) return;
    this.#queue.flushQueue();
    this.#queue.clear();
    this.#res.end(last === undefined ? undefined : formatSseEvent(last));
    this.#closed();
  }

  /**
   * Cuts the connection at once, queued events and all: for a reader that stopped reading, whose
   * `end()` would otherwise keep the socket (and a server's shutdown) waiting.
   */
  destroy(): void {
    this.#res.destroy();
    this.#closed();
  }

  /** Runs `listener` once when the stream closes, whoever closed it. */
  onClose(listener: () => void): void {
    if (this.#isOpen) this.#closeListeners.push(listener);
    else listener();
  }

  #closed(): void {
    if (!this.#isOpen) return;
    this.#isOpen = false;
    clearInterval(this.#heartbeat);
    this.#queue.clear();
    for (const listener of this.#closeListeners.splice(0)) listener();
  }
}

/** Starts an SSE response on `res`. See {@link EventStream}. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, options?: EventStreamOptions): EventStream {
  return new EventStream(req, res, options);
}

function concat(pieces: (string | Buffer)[]): Buffer {
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
}

/**
 * The outbox of one stream. A tick's events go out in one corked write (one system call, like a
 * WebSocket's frames): a burst of events from one tick is not a slow reader; only bytes still
 * buffered after the kernel took what it could are.
 */
class ResponseQueue extends OutboundQueue<string | Buffer> {
  readonly #res: ServerResponse;
  readonly #stream: EventStream;
  readonly #onOverflow: (() => void) | undefined;

  constructor(res: ServerResponse, stream: EventStream, options: EventStreamOptions) {
    super({
      capacity: options.bufferSize ?? 100,
      maxBytes: options.maxQueuedBytes ?? Number.POSITIVE_INFINITY,
      isBatched: true,
    });
    this.#res = res;
    this.#stream = stream;
    this.#onOverflow = options.onOverflow;
  }

  get isOpen(): boolean {
    return this.#stream.isOpen;
  }

  push(chunk: string | Buffer, bytes: number): boolean {
    return this.enqueue(chunk, bytes);
  }

  clear(): void {
    this.clearQueue();
  }

  protected writeOne(chunk: string | Buffer): boolean {
    return this.writeAll([chunk]);
  }

  protected writeAll(chunks: readonly (string | Buffer)[]): boolean {
    const res = this.#res;
    res.cork();
    for (const chunk of chunks) res.write(chunk);
    res.uncork();
    return res.writableNeedDrain && res.writableLength > 0;
  }

  protected onceDrain(listener: () => void): void {
    this.#res.once('drain', listener);
  }

  protected onOverflow(): void {
    this.clearQueue(); // the reader fell behind: what waits is dropped, not flushed
    this.#onOverflow?.();
    this.#stream.end();
  }

  protected onWritten(): void {}
}
