/**
 * Serialising Server-Sent Events onto the wire (WHATWG HTML §9.2.5 "Parsing an
 * event stream"). Output is a plain string; encoding it as UTF-8 is the
 * caller's job.
 */

/** The fields of one event to send. Every field is optional. */
export interface SseEventInit {
  /**
   * Event payload. May contain any line endings (LF, CRLF, CR): each line
   * becomes its own `data:` line, and the receiver joins them with LF (so CRLF
   * and CR arrive as LF). `''` sends an event with empty data; `undefined`
   * sends no `data:` line at all, and a block without data is never
   * dispatched by a receiver.
   */
  data?: string | undefined;
  /** Event type (`event:` field). Must not contain CR or LF. Receivers default it to `"message"`. */
  event?: string | undefined;
  /** Last event ID (`id:` field). Must not contain CR, LF or NUL. `''` resets the receiver's ID. */
  id?: string | undefined;
  /** Reconnection time in milliseconds (`retry:` field). Must be a non-negative safe integer. */
  retry?: number | undefined;
  /** Comment text, sent as `:` lines that receivers ignore. May span several lines. */
  comment?: string | undefined;
}

// The three line terminators of the event stream grammar (`end-of-line`).
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Writes one `name: value` line. An empty value is written as bare `name:`.
 * Exactly one space follows the colon because the parser strips exactly one:
 * a value that itself starts with a space keeps it.
 */
function line(name: string, value: string): string {
  return value === '' ? `${name}:\n` : `${name}: ${value}\n`;
}

function assertSingleLine(field: 'event' | 'id', value: string): void {
  if (value.includes('\r') || value.includes('\n')) {
    throw new TypeError(`SSE "${field}" must not contain CR or LF: ${JSON.stringify(value)}`);
  }
}

function assertRetry(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TypeError(`SSE "retry" must be a non-negative integer (milliseconds), got ${String(ms)}`);
  }
}

function commentLines(text: string): string {
  // The parser ignores any line that starts with ':' (its value has no rules),
  // so every line of a multi-line comment needs its own leading colon.
  return text
    .split(LINE_BREAK)
    .map((part) => line('', part))
    .join('');
}

/**
 * Formats one event block, terminated by the blank line that makes a receiver
 * dispatch it. Fields are written in the order comment, retry, id, event, data.
 *
 * @throws TypeError if `event` or `id` contains CR/LF, `id` contains NUL, or
 *   `retry` is not a non-negative integer. These are programming errors of the
 *   sender: such values cannot be represented on the wire.
 */
export function formatSseEvent(event: SseEventInit): string {
  const { data, event: type, id, retry, comment } = event;
  if (type !== undefined) assertSingleLine('event', type);
  if (id !== undefined) {
    assertSingleLine('id', id);
    // Receivers silently ignore an id containing NUL (§9.2.6), so sending one
    // would desynchronise the sender's idea of the last event ID.
    if (id.includes('\0')) throw new TypeError(`SSE "id" must not contain NUL: ${JSON.stringify(id)}`);
  }
  if (retry !== undefined) assertRetry(retry);

  let out = '';
  if (comment !== undefined) out += commentLines(comment);
  if (retry !== undefined) out += line('retry', String(retry));
  if (id !== undefined) out += line('id', id);
  if (type !== undefined) out += line('event', type);
  if (data !== undefined) {
    for (const part of data.split(LINE_BREAK)) out += line('data', part);
  }
  return `${out}\n`;
}

/**
 * Formats a standalone comment block, e.g. `formatSseComment('ping')` gives
 * `": ping\n\n"`. Useful as a heartbeat that keeps proxies from closing an idle
 * connection; receivers never dispatch it. Multi-line text gives several `:` lines.
 */
export function formatSseComment(text: string): string {
  return `${commentLines(text)}\n`;
}

/**
 * Formats a standalone block that only sets the receiver's reconnection time,
 * e.g. `formatSseRetry(3000)` gives `"retry: 3000\n\n"`.
 *
 * @throws TypeError if `ms` is not a non-negative integer.
 */
export function formatSseRetry(ms: number): string {
  assertRetry(ms);
  return `${line('retry', String(ms))}\n`;
}
