import { parseOffset, type StreamOffset } from '@oxidite/protocol';

/**
 * A topic's position in its stream: the offset of the last message delivered. It decides which
 * messages are new, so a handler sees each message once and in order across reconnects, over
 * WebSocket and over SSE alike.
 */
export class StreamPosition {
  #text: string | undefined;
  #offset: StreamOffset | undefined;

  /** The last offset delivered (or adopted), as sent on the wire. */
  get text(): string | undefined {
    return this.#text;
  }

  /**
   * Whether the message at `text` comes after the position: a later offset of the same epoch, or
   * any offset of another one. If so, the position moves to it. An unparsable offset is not new.
   */
  advance(text: string): boolean {
    const offset = parseOffset(text);
    if (!offset) return false;
    const last = this.#offset;
    if (last && last.epoch === offset.epoch && offset.seq <= last.seq) return false;
    this.#text = text;
    this.#offset = offset;
    return true;
  }

  /** Takes `text` as the position: what follows it is new. */
  adopt(text: string): void {
    const offset = parseOffset(text);
    if (!offset) return;
    this.#text = text;
    this.#offset = offset;
  }

  /**
   * The server could not resume from the position and now stands at `text`. A stream of another
   * epoch (a restarted server) is replayed from its first message (PROTOCOL.md §4.3), so the
   * position becomes that epoch's start; in the same epoch (history evicted) nothing is replayed.
   */
  reset(text: string): void {
    const offset = parseOffset(text);
    if (!offset) return;
    if (this.#offset && this.#offset.epoch !== offset.epoch) this.adopt(`${offset.epoch}:0`);
    else this.adopt(text);
  }
}
