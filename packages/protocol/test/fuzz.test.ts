import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DecodeResult,
  decodeClientBinaryFrame,
  decodeClientEnvelope,
  decodeServerBinaryFrame,
  decodeServerEnvelope,
} from '../src/index';

/**
 * Decoders face untrusted peers: whatever arrives, they must return a typed result and never throw.
 * Each property runs 5,000 inputs; the whole file takes a few seconds.
 */

const RUNS = 5_000;
const DECODE_ERROR_CODES = ['malformed', 'unknown_type', 'invalid', 'too_large'];

/** Fails unless `result` is `{ ok: true, value }` or `{ ok: false, error: { code, message } }`. */
function checkShape(result: DecodeResult<unknown>): void {
  if (result.ok === true) {
    if (typeof result.value !== 'object' || result.value === null) throw new Error('ok without an object value');
    return;
  }
  if (result.ok !== false) throw new Error(`bad result: ${JSON.stringify(result)}`);
  const { code, message, id } = result.error;
  if (!DECODE_ERROR_CODES.includes(code)) throw new Error(`unknown error code ${code}`);
  if (typeof message !== 'string') throw new Error('error message is not a string');
  if (id !== undefined && !(Number.isSafeInteger(id) && id >= 0)) throw new Error(`bad id ${id}`);
}

const fragment = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '"type"', '"subscribe"', '"publish"', '"message"'),
  fc.constantFrom('"id"', '"topic"', '"data"', '"offset"', '"ts"', '"welcome"', '"ping"', 'null', 'true', '-'),
  fc.constantFrom('\\u0000', '\u0000', '\\"', '"e:1"', '"chat"', ' ', '\n', '\ud800', '__proto__', 'constructor'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

/** Almost-JSON: shuffled fragments of envelopes. */
const jsonishArb = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));

/** Envelopes with fields of random JSON values, so the validation paths are exercised too. */
const envelopeishArb = fc
  .record(
    {
      type: fc.constantFrom(
        'subscribe',
        'unsubscribe',
        'publish',
        'rpc',
        'ping',
        'auth',
        'welcome',
        'message',
        'broadcast',
      ),
      id: fc.oneof(fc.nat(), fc.jsonValue({ maxDepth: 1 })),
      topic: fc.oneof(fc.constant('chat'), fc.jsonValue({ maxDepth: 1 })),
      data: fc.jsonValue({ maxDepth: 3 }),
      offset: fc.oneof(fc.constant('e:1'), fc.string({ maxLength: 8 })),
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

const textArb = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 3, arbitrary: jsonishArb },
  { weight: 2, arbitrary: envelopeishArb },
);

/** Bytes that often start like a real binary frame. */
const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc
    .tuple(fc.constantFrom(0, 1, 1, 1, 2), fc.nat({ max: 80 }), jsonishArb, fc.uint8Array({ maxLength: 16 }))
    .map(([version, declared, header, payload]) => {
      const head = new TextEncoder().encode(header);
      return Uint8Array.of(version, declared >>> 8, declared & 0xff, ...head, ...payload);
    }),
  envelopeishArb.map((header) => {
    const head = new TextEncoder().encode(header);
    return Uint8Array.of(1, head.length >>> 8, head.length & 0xff, ...head, 1, 2, 3);
  }),
);

describe('decoders never throw', () => {
  it('decodeClientEnvelope and decodeServerEnvelope return a typed result for any string', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        checkShape(decodeClientEnvelope(text));
        checkShape(decodeServerEnvelope(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeClientBinaryFrame and decodeServerBinaryFrame return a typed result for any bytes', () => {
    fc.assert(
      fc.property(bytesArb, (bytes) => {
        checkShape(decodeClientBinaryFrame(bytes));
        checkShape(decodeServerBinaryFrame(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('reaches every outcome, so the inputs are not all rejected at the door', () => {
    const seen = new Set<string>();
    const texts = fc.sample(textArb, { numRuns: 2_000, seed: 42 });
    const frames = fc.sample(bytesArb, { numRuns: 2_000, seed: 42 });
    for (const result of [...texts.map((t) => decodeClientEnvelope(t)), ...frames.map(decodeClientBinaryFrame)]) {
      seen.add(result.ok ? 'ok' : result.error.code);
    }
    expect([...seen].sort()).toEqual(['invalid', 'malformed', 'ok', 'unknown_type']);
  });
});
