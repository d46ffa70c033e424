import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CLOSE_REASON_BYTES, trimCloseReason } from '../src/index';

const bytes = (text: string) => new TextEncoder().encode(text).length;
/** The string as UTF-8 can carry it: lone surrogates become U+FFFD (what `String#toWellFormed` does). */
const wellFormed = (text: string) => new TextDecoder().decode(new TextEncoder().encode(text));

describe('trimCloseReason', () => {
  it('keeps a short reason as it is', () => {
    expect(trimCloseReason('token expired')).toBe('token expired');
  });

  it('cuts 124 ASCII bytes to 123', () => {
    expect(trimCloseReason('a'.repeat(124))).toBe('a'.repeat(123));
  });

  it('cuts multi-byte text on a character boundary (62 × "é" = 124 bytes → 61)', () => {
    expect(trimCloseReason('é'.repeat(62))).toBe('é'.repeat(61));
    // 41 × "€" is 123 bytes: kept whole; one more does not fit.
    expect(trimCloseReason('€'.repeat(42))).toBe('€'.repeat(41));
  });

  it('never splits a surrogate pair and replaces lone surrogates', () => {
    expect(trimCloseReason('😀'.repeat(31))).toBe('😀'.repeat(30));
    expect(trimCloseReason('a\ud800b')).toBe('a\ufffdb');
  });

  it('any string: at most 123 UTF-8 bytes, a prefix of the input (up to U+FFFD for lone surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (reason) => {
        const trimmed = trimCloseReason(reason);
        expect(bytes(trimmed)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
        expect(wellFormed(reason).startsWith(trimmed)).toBe(true);
        if (bytes(wellFormed(reason)) <= MAX_CLOSE_REASON_BYTES) expect(trimmed).toBe(wellFormed(reason));
      }),
      { numRuns: 2_000 },
    );
  });
});
