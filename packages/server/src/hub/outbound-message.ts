import { encodeBinaryFrame, formatOffset } from '@oxidite/protocol';
import type { StreamMessage } from '../pubsub';

/** Slots of per-transport encodings cached on an {@link OutboundMessage}. */
export const EncodingSlot = { WEBSOCKET_HEADER: 0, SSE_SINGLE_TOPIC_EVENT: 1 } as const;
/** One of the {@link EncodingSlot} values. */
export type EncodingSlot = (typeof EncodingSlot)[keyof typeof EncodingSlot];

/**
 * One published message on its way out, with its wire forms built lazily and at most once:
 * however many subscribers a topic has, the frame is serialized once and the same bytes are
 * written to every socket. Transports may cache their own framing of it (see `cache`).
 */
export class OutboundMessage {
  readonly message: StreamMessage;
  readonly offset: string;
  #frame: Buffer | undefined;
  /** Transport encodings by slot (see {@link EncodingSlot}); an array, not a Map: read per delivery. */
  readonly #encodings: unknown[] = [];

  constructor(message: StreamMessage) {
    this.message = message;
    this.offset = formatOffset(message.offset);
  }

  /** Whether the payload is raw bytes (sent as a binary frame). */
  get isBinary(): boolean {
    return this.message.payload.bytes !== undefined;
  }

  /** The envelope bytes: a `message` envelope (text) or a binary frame. */
  get frame(): Buffer {
    if (this.#frame) return this.#frame;
    const { topic, ts, payload } = this.message;
    if (payload.bytes !== undefined) {
      const bytes = encodeBinaryFrame({ type: 'message', topic, offset: this.offset, ts }, payload.bytes);
      this.#frame = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } else {
      // Splice the already-serialized payload in: no parse, no second stringify.
      const text = `{"type":"message","topic":${JSON.stringify(topic)},"offset":"${this.offset}","ts":${ts},"data":${payload.json}}`;
      this.#frame = Buffer.from(text);
    }
    return this.#frame;
  }

  /**
   * A transport's own encoding of this message, built once by `build` and shared by every peer of
   * that transport (the WebSocket frame header, the SSE event bytes).
   */
  cache<T>(slot: EncodingSlot, build: (message: OutboundMessage) => T): T {
    let value = this.#encodings[slot] as T | undefined;
    if (value === undefined) {
      value = build(this);
      this.#encodings[slot] = value;
    }
    return value;
  }
}
