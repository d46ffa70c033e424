import { parseOffset } from '@oxidite/protocol';

/**
 * A topic's position in its stream: the offset of the last message delivered. It decides which
 * messages are new, so a handler sees each message once and in order across reconnects, over
 * WebSocket and over SSE alike.
 */
export class StreamPosition {
  #text: string | undefined;
  /** `<epoch>:` of the position; empty before it has one. */
  #prefix = '';
  #seq = 0;

  /** The last offset delivered (or adopted), as sent on the wire. */
  get text(): string | undefined {
    return this.#text;
  }

  /**
   * Whether the message at `text` comes after the position: a later offset of the same epoch, or
   * any offset of another one. If so, the position moves to it. `text` must be a valid offset
   * (the envelope guard, or the SSE reader, checked it), so one of the current epoch — nearly
   * every message — is read without a regex or an object (issue #18 goal 7).
   */
  advance(text: string): boolean {
    if (this.#prefix && text.startsWith(this.#prefix)) {
      const seq = Number(text.slice(this.#prefix.length));
      if (!(seq > this.#seq)) return false;
      this.#text = text;
      this.#seq = seq;
      return true;
    }
    return this.adopt(text);
  }

  /** Takes `text` as the position: what follows it is new. False if it is not an offset. */
  adopt(text: string): boolean {
    const offset = parseOffset(text);
    if (!offset) return false;
    this.#text = text;
    this.#prefix = `${offset.epoch}:`;
    this.#seq = offset.seq;
    return true;
  }

  /**
   * The server could not resume from the position and now stands at `text`. A stream of another
   * epoch (a restarted server) is replayed from its first message (PROTOCOL.md §4.3), so the
   * position becomes that epoch's start; in the same epoch (history evicted) nothing is replayed.
   */
  reset(text: string): void {
    const offset = parseOffset(text);
    if (offset && this.#prefix && !text.startsWith(this.#prefix)) this.adopt(`${offset.epoch}:0`);
    else this.adopt(text);
  }
}
