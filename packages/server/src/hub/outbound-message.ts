import { encodeBinaryFrame, formatOffset, type ServerEnvelope } from '@oxidite/protocol';
import type { StreamMessage } from '../pubsub';

/** Slots of per-transport encodings cached on an {@link Outbound}. */
export const EncodingSlot = { WEBSOCKET_FRAME: 0, SSE_SINGLE_TOPIC_EVENT: 1 } as const;
/** One of the {@link EncodingSlot} values. */
export type EncodingSlot = (typeof EncodingSlot)[keyof typeof EncodingSlot];

/**
 * What crosses the {@link Peer} seam: a typed value whose JSON (or binary) form is built lazily,
 * at most once, however many peers it goes to. Transports cache their own framing of it (the
 * WebSocket frame, the SSE event bytes) with `cache`, so that too is built once per value.
 */
export abstract class Outbound {
  #frame: Buffer | undefined;
  /** A transport's framing that holds the UTF-8 of {@link text} from `#framedAt` on (see {@link adoptFrame}). */
  #framed: Buffer | undefined;
  #framedAt = 0;
  /** Transport encodings by slot (see {@link EncodingSlot}); an array, not a Map: read per delivery. */
  readonly #encodings: unknown[] = [];

  /** Whether the frame is raw bytes (a binary WebSocket frame), not JSON text. */
  abstract get isBinary(): boolean;

  /** The envelope's bytes, shared by every peer it goes to. */
  get frame(): Buffer {
    this.#frame ??= this.#framed ? this.#framed.subarray(this.#framedAt) : this.encode();
    return this.#frame;
  }

  /** Whether {@link frame}'s bytes exist (encoded, or inside a transport's framing, see {@link adoptFrame}). */
  get hasFrame(): boolean {
    return this.#frame !== undefined || this.#framed !== undefined;
  }

  /**
   * The JSON text of a text value, built anew on each call; `undefined` for a binary frame. For a
   * transport that writes it straight into its own framing (one buffer and one copy for a lone
   * reply instead of three); it then hands those bytes back with {@link adoptFrame}.
   */
  abstract text(): string | undefined;

  /**
   * Takes the UTF-8 of {@link text}, written by a transport into `framed` from `start` on, as the
   * bytes of {@link frame}: so the value is still encoded once when another transport needs it.
   */
  adoptFrame(framed: Buffer, start: number): void {
    if (this.hasFrame) return;
    this.#framed = framed;
    this.#framedAt = start;
  }

  /** A transport's own encoding of this value, built once by `build` and shared by every peer of that transport. */
  cache<T>(slot: EncodingSlot, build: (outbound: this) => T): T {
    let value = this.#encodings[slot] as T | undefined;
    if (value === undefined) {
      value = build(this);
      this.#encodings[slot] = value;
    }
    return value;
  }

  protected abstract encode(): Buffer;
}

/** One published message on its way out: a `message` envelope (text) or a binary frame. */
export class OutboundMessage extends Outbound {
  readonly message: StreamMessage;
  readonly offset: string;

  constructor(message: StreamMessage) {
    super();
    this.message = message;
    this.offset = formatOffset(message.offset);
  }

  get isBinary(): boolean {
    return this.message.payload.bytes !== undefined;
  }

  text(): string | undefined {
    const { topic, ts, payload } = this.message;
    if (payload.bytes !== undefined) return undefined;
    // Splice the already-serialized payload in: no parse, no second stringify.
    return `{"type":"message","topic":${JSON.stringify(topic)},"offset":"${this.offset}","ts":${ts},"data":${payload.json}}`;
  }

  protected encode(): Buffer {
    const { topic, ts, payload } = this.message;
    if (payload.bytes !== undefined) {
      const bytes = encodeBinaryFrame({ type: 'message', topic, offset: this.offset, ts }, payload.bytes);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return Buffer.from(this.text() as string);
  }
}

/**
 * A control envelope (`subscribed`, `presence`, `broadcast`, `error`, ...) on its way out. One
 * built for a fan-out (presence, broadcast) is serialized once for all its peers; each transport
 * reads its `type` and fields as typed values, never by parsing text back.
 */
export class OutboundEnvelope<E extends ServerEnvelope = ServerEnvelope> extends Outbound {
  readonly envelope: E;
  #text: string | undefined;

  constructor(envelope: E) {
    super();
    this.envelope = envelope;
  }

  get isBinary(): boolean {
    return false;
  }

  /** Serialized once: checked with `isDecodable` and framed from the same string. */
  text(): string {
    this.#text ??= JSON.stringify(this.envelope);
    return this.#text;
  }

  protected encode(): Buffer {
    return Buffer.from(this.text());
  }
}
