import { parseOffset } from '@oxidite/protocol';

/**
 * A topic's position in its stream: the offset of the last message delivered. It decides which
 * messages are new, so a handler sees each message once and in order across reconnects, over
 * WebSocket and over SSE alike.
 */
export class StreamPosition {
  #text: string | undefined;
  #epoch: string | undefined;
  #seq = 0;

  /** The last offset delivered (or adopted), as sent on the wire. */
  get text(): string | undefined {
    return this.#text;
  }

  /**
   * Whether the message at `text` comes after the position: a later offset of the same epoch, or
   * any offset of another one. If so, the position moves to it. An unparsable offset is not new.
   */
  advance(text: string): boolean {
    const epoch = this.#epoch;
    // Nearly every message is of the current epoch: read its sequence without a regex or an object.
    const seq = epoch === undefined ? undefined : sequenceIn(text, epoch);
    if (seq !== undefined) {
      if (seq <= this.#seq) return false;
      this.#text = text;
      this.#seq = seq;
      return true;
    }
    const offset = parseOffset(text);
    if (!offset) return false;
    if (offset.epoch === epoch && offset.seq <= this.#seq) return false;
    this.#set(text, offset.epoch, offset.seq);
    return true;
  }

  /** Takes `text` as the position: what follows it is new. */
  adopt(text: string): void {
    const offset = parseOffset(text);
    if (offset) this.#set(text, offset.epoch, offset.seq);
  }

  /**
   * The server could not resume from the position and now stands at `text`. A stream of another
   * epoch (a restarted server) is replayed from its first message (PROTOCOL.md §4.3), so the
   * position becomes that epoch's start; in the same epoch (history evicted) nothing is replayed.
   */
  reset(text: string): void {
    const offset = parseOffset(text);
    if (!offset) return;
    if (this.#epoch !== undefined && this.#epoch !== offset.epoch) this.#set(`${offset.epoch}:0`, offset.epoch, 0);
    else this.#set(text, offset.epoch, offset.seq);
  }

  #set(text: string, epoch: string, seq: number): void {
    this.#text = text;
    this.#epoch = epoch;
    this.#seq = seq;
  }
}

/**
 * The sequence of `text` if it is `<epoch>:<seq>` in the wire form `parseOffset` accepts (no
 * leading zero, at most 16 digits, a safe integer); otherwise undefined.
 */
function sequenceIn(text: string, epoch: string): number | undefined {
  const start = epoch.length + 1;
  const digits = text.length - start;
  if (digits < 1 || digits > 16 || text.charCodeAt(start - 1) !== 0x3a /* : */ || !text.startsWith(epoch)) {
    return undefined;
  }
  if (digits > 1 && text.charCodeAt(start) === 0x30 /* 0 */) return undefined;
  let seq = 0;
  for (let i = start; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    seq = seq * 10 + digit;
  }
  return Number.isSafeInteger(seq) ? seq : undefined;
}
