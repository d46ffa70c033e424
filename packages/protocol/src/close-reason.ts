/** The longest close reason, in UTF-8 bytes: a close frame's payload is at most 125 bytes, 2 of them the code (RFC 6455 §5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** UTF-8 length of the code point starting at `code` (a lone surrogate is sent as U+FFFD, 3 bytes). */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * `reason` cut to at most {@link MAX_CLOSE_REASON_BYTES} UTF-8 bytes on a character boundary, so
 * that a close never throws (runtimes refuse longer reasons with a RangeError) and never sends half
 * a character. Lone surrogates, which have no UTF-8 form, become U+FFFD.
 */
export function trimCloseReason(reason: string): string {
  let bytes = 0;
  let out = '';
  for (const char of reason) {
    const codePoint = char.codePointAt(0) ?? 0xfffd;
    const isLoneSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
    const length = isLoneSurrogate ? 3 : utf8Length(codePoint);
    if (bytes + length > MAX_CLOSE_REASON_BYTES) break;
    bytes += length;
    out += isLoneSurrogate ? '\ufffd' : char;
  }
  return out;
}
