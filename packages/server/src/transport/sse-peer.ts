import type { CloseCode } from '@oxidite/protocol';
import { EncodingSlot, type OutboundEnvelope, type OutboundMessage, type Peer } from '../hub';
import type { RealtimeStats } from '../observability';
import { recordClose } from './close-socket';
import type { EventStream } from './event-stream';

const EMPTY_POSITION = '';
const EVENT_END = Buffer.from('\n\n');
const DROPPED = { code: 1006, reason: '' };

/**
 * A {@link Peer} over an SSE stream. Every event carries, in `id:`, the stream positions of all
 * the stream's topics, comma-separated in the order of the request's `topic` parameters (empty
 * for a topic with no position yet): `k3x9:42,,p0aq:7`. A browser resends it as `Last-Event-ID`
 * when it reconnects to the same URL, which is all the server needs to resume every topic.
 * Payloads are the WebSocket envelopes, byte for byte, so a message is serialized once for both
 * transports.
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

  get queuedBytes(): number {
    return this.#stream.queuedBytes;
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

  /**
   * Envelope types an SSE stream carries (PROTOCOL.md §1.2): `subscribed`, `presence`, `error`,
   * `broadcast`. The rest answer requests an SSE client cannot send (`pong`, `ack`, `reply`,
   * `unsubscribed`) or ask for one (`refresh`: a stream cannot send `auth`, so it simply ends
   * with `close` 4401 when its token expires; the client reconnects with a fresh token and
   * resumes from `Last-Event-ID`).
   */
  send(outbound: OutboundEnvelope): void {
    const envelope = outbound.envelope;
    switch (envelope.type) {
      case 'subscribed':
        this.#advance(
          envelope.topic,
          envelope.recovered ? envelope.offset : this.#afterLoss(envelope.topic, envelope.offset),
        );
        break;
      case 'presence':
      case 'error':
      case 'broadcast':
        break;
      default:
        return;
    }
    this.#write(envelope.type, outbound.frame);
  }

  close(code: CloseCode, reason: string): void {
    if (!this.#stream.isOpen) return;
    const trimmed = recordClose(this.#stats, code, reason);
    this.closedWith = { code, reason: trimmed };
    this.#stream.end({ event: 'close', data: JSON.stringify({ code, reason: trimmed }) });
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

  #write(event: string, data: Buffer): void {
    this.#writeEvent([`id: ${this.#positions.join(',')}\nevent: ${event}\ndata: `, data, EVENT_END], data.length);
  }

  #writeEvent(pieces: Buffer | (string | Buffer)[], dataLength: number): void {
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
