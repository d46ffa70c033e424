import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareOffsets, createEpoch, formatOffset, parseOffset } from '../src/index';
import { isValidEpoch } from '../src/offset';

const EPOCH_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const epochArb = fc.string({ unit: fc.constantFrom(...EPOCH_CHARS), minLength: 1, maxLength: 32 });
const seqArb = fc.maxSafeNat();
const offsetArb = fc.record({ epoch: epochArb, seq: seqArb });

/** Reference definition of a valid wire offset, written independently of the implementation. */
function isValidWireOffset(text: string): boolean {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return false;
  const epoch = text.slice(0, colon);
  const seq = text.slice(colon + 1);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(epoch)) return false;
  if (!/^(0|[1-9][0-9]*)$/.test(seq)) return false;
  return Number.isSafeInteger(Number(seq));
}

describe('formatOffset / parseOffset', () => {
  it('formats as <epoch>:<seq>', () => {
    expect(formatOffset({ epoch: 'k3x9', seq: 42 })).toBe('k3x9:42');
    expect(formatOffset({ epoch: 'a', seq: 0 })).toBe('a:0');
  });

  it('round-trips every valid offset', () => {
    fc.assert(
      fc.property(offsetArb, (offset) => {
        const text = formatOffset(offset);
        expect(parseOffset(text)).toEqual(offset);
        expect(formatOffset(parseOffset(text)!)).toBe(text);
      }),
    );
  });

  it('accepts the boundaries', () => {
    const longEpoch = 'e'.repeat(32);
    expect(parseOffset(`${longEpoch}:0`)).toEqual({ epoch: longEpoch, seq: 0 });
    expect(parseOffset(`a:${Number.MAX_SAFE_INTEGER}`)).toEqual({ epoch: 'a', seq: Number.MAX_SAFE_INTEGER });
    expect(parseOffset('A_-z9:1')).toEqual({ epoch: 'A_-z9', seq: 1 });
  });

  it.each([
    '',
    ':',
    ':1',
    'a:',
    'a',
    '42',
    'a:01',
    'a:-1',
    'a:+1',
    'a:1.5',
    'a:1e3',
    'a: 1',
    ' a:1',
    'a:1 ',
    'a:1\n',
    'a:b:1',
    'a.b:1',
    'é:1',
    'a:0x10',
    `${'e'.repeat(33)}:1`,
    `a:${Number.MAX_SAFE_INTEGER + 1}`,
    'a:99999999999999999',
    'a:Infinity',
    'a:NaN',
  ])('rejects %j', (text) => {
    expect(parseOffset(text)).toBeUndefined();
  });

  it('never throws and returns undefined unless the text is a valid offset', () => {
    const mixed = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...'aZ9_-:0123456789.+ e'), maxLength: 40 }),
      fc
        .tuple(epochArb, fc.string({ unit: fc.constantFrom(...'0123456789-+e.'), maxLength: 20 }))
        .map(([e, s]) => `${e}:${s}`),
    );
    fc.assert(
      fc.property(mixed, (text) => {
        const parsed = parseOffset(text);
        return isValidWireOffset(text) ? parsed !== undefined && formatOffset(parsed) === text : parsed === undefined;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compareOffsets', () => {
  it('orders offsets of one epoch by seq', () => {
    expect(compareOffsets({ epoch: 'e', seq: 1 }, { epoch: 'e', seq: 2 })).toBe(-1);
    expect(compareOffsets({ epoch: 'e', seq: 2 }, { epoch: 'e', seq: 1 })).toBe(1);
    expect(compareOffsets({ epoch: 'e', seq: 7 }, { epoch: 'e', seq: 7 })).toBe(0);
  });

  it('agrees with numeric order within an epoch and is antisymmetric', () => {
    fc.assert(
      fc.property(epochArb, seqArb, seqArb, (epoch, x, y) => {
        const result = compareOffsets({ epoch, seq: x }, { epoch, seq: y });
        expect(result).toBe(Math.sign(x - y));
        expect(compareOffsets({ epoch, seq: y }, { epoch, seq: x })).toBe(Math.sign(y - x));
      }),
    );
  });

  it('returns undefined across epochs, whatever the seqs', () => {
    fc.assert(
      fc.property(epochArb, epochArb, seqArb, seqArb, (a, b, x, y) => {
        fc.pre(a !== b);
        expect(compareOffsets({ epoch: a, seq: x }, { epoch: b, seq: y })).toBeUndefined();
      }),
    );
    expect(compareOffsets({ epoch: 'a', seq: 1 }, { epoch: 'A', seq: 1 })).toBeUndefined();
  });
});

describe('isValidEpoch / createEpoch', () => {
  it('validates the epoch alphabet and length', () => {
    fc.assert(fc.property(epochArb, (epoch) => isValidEpoch(epoch)));
    for (const bad of ['', 'e'.repeat(33), 'a:b', 'a b', 'é', 'a.b', 'a\n']) expect(isValidEpoch(bad)).toBe(false);
  });

  it('creates valid, distinct epochs', () => {
    const epochs = Array.from({ length: 1000 }, () => createEpoch());
    for (const epoch of epochs) {
      expect(epoch).toMatch(/^[a-z0-9]{10}$/);
      expect(isValidEpoch(epoch)).toBe(true);
      expect(parseOffset(formatOffset({ epoch, seq: 0 }))).toEqual({ epoch, seq: 0 });
    }
    expect(new Set(epochs).size).toBe(epochs.length);
  });
});
