import { type CloseCode, trimCloseReason } from '@oxidite/protocol';
import { EncodingSlot, type OutboundMessage, type Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { countClose } from './close-socket';
import type { EventStream } from './event-stream';

const TYPE_RE = /^\{"type":"([a-z]+)"/;
/**
 * Envelope types an SSE stream carries (PROTOCOL.md §1.2). The rest answer requests an SSE client
 * cannot send (`pong`, `ack`, `reply`, `unsubscribed`) or ask for one (`refresh`: a stream cannot
 * send `auth`, so it simply ends with `close` 4401 when its token expires; the client reconnects
 * with a fresh token and resumes from `Last-Event-ID`).
 */
const SSE_TYPES: ReadonlySet<string> = new Set(['subscribed', 'message', 'presence', 'error', 'broadcast']);
const EMPTY_POSITION = '';
const EVENT_END = Buffer.from('\n\n');
const DROPPED = { code: 1006, reason: '' };

/**
 * A {@link Peer} over an SSE stream. Every event carries, in `id:`, the stream positions of all
 * the stream's topics, comma-separated in the order of the request's `topic` parameters (empty
 * for a topic with no position yet): `k3x9:42,,p0aq:7`. A browser resends it as `Last-Event-ID`
 * when it reconnects to the same URL, which is all the server needs to resume every topic.
 * Payloads are the WebSocket `message` envelopes, byte for byte, so a message is serialized once
 * for both transports.
 */
export class SsePeer implements Peer {
  readonly transport = 'sse' as const;
  readonly #stream: EventStream;
  readonly #stats: RealtimeStats;
  readonly #topics: readonly string[];
  readonly #positions: string[];
  /** What the server closed the stream with; 1006 (no close event) when the reader went away. */
  closedWith: { code: number; reason: string } = DROPPED;

  constructor(stream: EventStream, topics: readonly string[], initial: readonly string[], stats: RealtimeStats) {
    this.#stream = stream;
    this.#topics = topics;
    this.#positions = topics.map((_, i) => initial[i] ?? EMPTY_POSITION);
    this.#stats = stats;
  }

  get isOpen(): boolean {
    return this.#stream.isOpen;
  }

  deliver(message: OutboundMessage): void {
    if (message.isBinary) {
      // SSE is text only; binary topics are for WebSocket clients.
      this.#stats.dropped++;
      return;
    }
    this.#advance(message.message.topic, message.offset);
    if (this.#topics.length === 1) {
      // A single-topic stream's id is the message's own offset: the whole event is the same bytes
      // for every such stream, so it is built once per message and shared.
      const event = message.cache(EncodingSlot.SSE_SINGLE_TOPIC_EVENT, (m) =>
        Buffer.concat([Buffer.from(`id: ${m.offset}\nevent: message\ndata: `), m.frame, EVENT_END]),
      );
      this.#writeEvent(event, message.frame.length);
      return;
    }
    this.#write('message', message.frame);
  }

  whenWritable(): Promise<void> {
    return this.#stream.whenWritable();
  }

  sendControl(text: string): void {
    const type = TYPE_RE.exec(text)?.[1];
    if (type === undefined || !SSE_TYPES.has(type)) return;
    if (type === 'subscribed') {
      const { topic, offset, recovered } = JSON.parse(text) as { topic: string; offset: string; recovered: boolean };
      this.#advance(topic, recovered ? offset : this.#afterLoss(topic, offset));
    }
    this.#write(type, text);
  }

  close(code: CloseCode, reason: string): void {
    if (!this.#stream.isOpen) return;
    countClose(this.#stats, code);
    const trimmed = trimCloseReason(reason);
    this.closedWith = { code, reason: trimmed };
    this.#stream.write([`event: close\ndata: ${JSON.stringify({ code, reason: trimmed })}\n\n`]);
    this.#stream.end();
  }

  /** SSE has no inbound stream: nothing to pause. */
  pauseReading(): void {}

  resumeReading(): void {}

  terminate(): void {
    this.#stream.destroy();
  }

  /**
   * After `recovered: false` in a new epoch the server replays that epoch from its first message:
   * until the replay arrives, the stream's position is the epoch's start (seq 0), so a reader cut
   * in the meantime resumes with the replay instead of skipping it.
   */
  #afterLoss(topic: string, offset: string): string {
    const index = this.#topics.indexOf(topic);
    const epoch = offset.slice(0, offset.lastIndexOf(':'));
    const previous = index >= 0 ? (this.#positions[index] ?? EMPTY_POSITION) : EMPTY_POSITION;
    if (previous === EMPTY_POSITION || previous.startsWith(`${epoch}:`)) return offset;
    return `${epoch}:0`;
  }

  #advance(topic: string, offset: string): void {
    const index = this.#topics.indexOf(topic);
    if (index >= 0) this.#positions[index] = offset;
  }

  #write(event: string, data: string | Buffer): void {
    this.#writeEvent([`id: ${this.#positions.join(',')}\nevent: ${event}\ndata: `, data, '\n\n'], data.length);
  }

  #writeEvent(pieces: string | Buffer | (string | Buffer)[], dataLength: number): void {
    if (!this.#stream.isOpen) {
      this.#stats.dropped++;
      return;
    }
    if (this.#stream.write(pieces)) {
      this.#stats.messagesOut++;
      this.#stats.bytesOut += dataLength;
    }
  }
}
