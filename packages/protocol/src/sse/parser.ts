/**
 * Incremental Server-Sent Events parser implementing the WHATWG HTML Living
 * Standard, §9.2.6 "Interpreting an event stream", over already-decoded text.
 */

/** One dispatched event, as a browser's `MessageEvent` would expose it. */
export interface SseEvent {
  /** The `event:` field of the block, or `"message"` when absent or empty. */
  type: string;
  /** The `data:` lines of the block joined with LF. */
  data: string;
  /** The last event ID in force when the event was dispatched (persists across events). */
  lastEventId: string;
}

/** Why the parser dropped part of the stream. */
export type SseParseError = 'line_too_long';

/** Callbacks and limits for {@link createSseParser}. */
export interface SseParserOptions {
  /** Called for every dispatched event. */
  onEvent(event: SseEvent): void;
  /** Called when a valid `retry:` field (ASCII digits only) sets the reconnection time, in ms. */
  onRetry?(ms: number): void;
  /** Called per comment line with the text after `:` minus one leading space (the spec just ignores comments). */
  onComment?(text: string): void;
  /** Called when part of the stream is dropped; the parser keeps going. */
  onError?(reason: SseParseError): void;
  /**
   * Longest line kept, in UTF-16 code units, excluding its line ending.
   * A longer line is dropped up to its end and reported once via `onError`;
   * unless it was a comment, the event block containing it is discarded too
   * (dispatching it without that line would deliver wrong data). Default 1,048,576.
   */
  maxLineLength?: number | undefined;
}

/** A running parser over one event stream. */
export interface SseParser {
  /** Parses more decoded text. Chunks may split the stream anywhere, even inside CRLF. Never throws itself. */
  feed(chunk: string): void;
  /** Ends the stream, discarding an event that lacks its blank line (per spec). Later calls are ignored. */
  end(): void;
  /**
   * The "last event ID string", committed at every blank line (even one that
   * dispatches nothing). Send it as `Last-Event-ID` on reconnect. Starts as `''`.
   */
  readonly lastEventId: string;
}

/** Default for {@link SseParserOptions.maxLineLength}: 1 MiB of UTF-16 code units. */
export const SSE_DEFAULT_MAX_LINE_LENGTH = 1_048_576;

const BOM = 0xfeff;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const COLON = 0x3a;
const ASCII_DIGITS = /^[0-9]+$/;

function stripOneSpace(value: string): string {
  return value.charCodeAt(0) === SPACE ? value.slice(1) : value;
}

/**
 * Creates an incremental event-stream parser. Feed it decoded text; it calls
 * `onEvent` for each complete event. Any input is accepted: malformed lines are
 * ignored as the spec says, and memory per line is bounded by `maxLineLength`.
 * Exceptions thrown by your callbacks propagate out of `feed` and drop the rest
 * of that chunk.
 *
 * @throws TypeError if `maxLineLength` is not a positive integer (or Infinity).
 */
export function createSseParser(options: SseParserOptions): SseParser {
  const { onEvent, onRetry, onComment, onError } = options;
  const maxLineLength = options.maxLineLength ?? SSE_DEFAULT_MAX_LINE_LENGTH;
  if (maxLineLength < 1 || !(Number.isSafeInteger(maxLineLength) || maxLineLength === Infinity)) {
    throw new TypeError(`maxLineLength must be a positive integer, got ${String(maxLineLength)}`);
  }

  // The three per-stream buffers of §9.2.6. The data buffer is kept as its
  // lines: "append value + LF" per data line, then "remove the trailing LF" at
  // dispatch, is exactly `lines.join('\n')`, and an empty array is exactly an
  // empty buffer (every data line appends at least the LF).
  let dataLines: string[] = [];
  let eventType = '';
  let lastEventIdBuffer = '';
  // The event source's "last event ID string", committed at each blank line.
  let lastEventId = '';

  // Pieces of the current unterminated line, joined once when it ends, so a
  // huge line arriving in many chunks costs linear time.
  let pending: string[] = [];
  let pendingLength = 0;
  let discardingLine = false; // current line already exceeded maxLineLength
  let discardingBlock = false; // current block lost a line: never dispatch it
  let atStreamStart = true; // no character seen yet (empty chunks do not count)
  let skipLeadingLF = false; // previous chunk ended in CR: a leading LF completes that CRLF
  let ended = false;

  function resetBlock(): void {
    dataLines = [];
    eventType = '';
    discardingBlock = false;
  }

  function dispatch(): void {
    lastEventId = lastEventIdBuffer;
    // "If the data buffer is an empty string, set the data buffer and the event
    // type buffer to the empty string and return": no event, type is reset.
    const event: SseEvent | undefined =
      discardingBlock || dataLines.length === 0
        ? undefined
        : { type: eventType === '' ? 'message' : eventType, data: dataLines.join('\n'), lastEventId };
    resetBlock();
    if (event !== undefined) onEvent(event);
  }

  function processLine(line: string): void {
    const colon = line.indexOf(':');
    if (line === '') dispatch();
    else if (colon === 0) onComment?.(stripOneSpace(line.slice(1)));
    else processField(line, colon);
  }

  function processField(line: string, colon: number): void {
    // No colon: the whole line is the field name and the value is empty.
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : stripOneSpace(line.slice(colon + 1));
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        dataLines.push(value);
        break;
      case 'id':
        // An id containing NUL is ignored entirely; an empty one resets the buffer.
        if (!value.includes('\0')) lastEventIdBuffer = value;
        break;
      case 'retry':
        // Only ASCII digits, else ignored. Digit strings beyond 2^53 cannot be
        // represented exactly (and may reach Infinity), so they are ignored too.
        if (ASCII_DIGITS.test(value) && Number.isSafeInteger(Number(value))) onRetry?.(Number(value));
        break;
      // Any other field name (matching is case-sensitive) is ignored.
    }
  }

  /**
   * Adds `chunk[start..end)` to the current line. When `complete` the line ends
   * there: returns it, or undefined when it was dropped for exceeding
   * `maxLineLength` (checked on the running total, so chunking cannot matter).
   */
  function collect(chunk: string, start: number, end: number, complete: boolean): string | undefined {
    if (discardingLine) {
      if (complete) discardingLine = false;
      return undefined;
    }
    const total = pendingLength + (end - start);
    if (total > maxLineLength) {
      // A dropped field leaves its block incomplete, so it must not dispatch;
      // a dropped comment changes nothing.
      if ((pending[0]?.charCodeAt(0) ?? chunk.charCodeAt(start)) !== COLON) discardingBlock = true;
      pending = [];
      pendingLength = 0;
      discardingLine = !complete;
      onError?.('line_too_long');
      return undefined;
    }
    const piece = chunk.slice(start, end);
    if (!complete) {
      if (piece !== '') pending.push(piece);
      pendingLength = total;
      return undefined;
    }
    if (pending.length === 0) return piece;
    pending.push(piece);
    const line = pending.join('');
    pending = [];
    pendingLength = 0;
    return line;
  }

  function feed(chunk: string): void {
    if (ended || chunk.length === 0) return;
    // UTF-8 decode strips one BOM at the very start of the stream, never later.
    let pos = atStreamStart && chunk.charCodeAt(0) === BOM ? 1 : 0;
    atStreamStart = false;
    if (skipLeadingLF && chunk.charCodeAt(pos) === LF) pos += 1;
    skipLeadingLF = false;
    const length = chunk.length;
    // Next CR / LF at or after `pos`; -1 means none left in this chunk. Each is
    // only searched again once `pos` passes it, keeping the scan linear.
    let nextCR = -2;
    let nextLF = -2;
    // `ended` too: a callback may have called end() mid-chunk.
    while (pos < length && !ended) {
      if (nextCR !== -1 && nextCR < pos) nextCR = chunk.indexOf('\r', pos);
      if (nextLF !== -1 && nextLF < pos) nextLF = chunk.indexOf('\n', pos);
      const end = nextCR === -1 ? nextLF : nextLF === -1 ? nextCR : Math.min(nextCR, nextLF);
      if (end === -1) {
        collect(chunk, pos, length, false);
        return;
      }
      const line = collect(chunk, pos, end, true);
      pos = end + 1;
      // CRLF is one line ending, even when the chunk boundary falls between them.
      if (chunk.charCodeAt(end) === CR) {
        if (pos === length) skipLeadingLF = true;
        else if (chunk.charCodeAt(pos) === LF) pos += 1;
      }
      if (line !== undefined) processLine(line);
    }
  }

  function end(): void {
    if (ended) return;
    ended = true;
    // "If the file ends in the middle of an event [...] the incomplete event is not dispatched."
    pending = [];
    resetBlock();
  }

  return {
    feed,
    end,
    get lastEventId(): string {
      return lastEventId;
    },
  };
}
