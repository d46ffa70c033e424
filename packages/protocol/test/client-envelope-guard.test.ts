import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { validateClientEnvelope } from '../src/codec/client-envelope-guard';
import { type ClientEnvelope, type DecodeResult, clientEnvelopeSchemas, decodeClientBinaryFrame } from '../src/index';
import { clientEnvelopeArbs, countArb, offsetArb, topicArb } from './codec-arbitraries';

/**
 * The hand-written guard the server decodes every client frame with must accept and reject
 * exactly what the zod schemas do, and output what zod outputs (the schema's keys only, in the
 * schema's order): on valid envelopes, on every single-field change of a full envelope, and on
 * randomly mutated ones. Client envelopes are flat (`data` is `z.unknown()`, never entered).
 */

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; id: number | undefined; path?: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function usableId(value: Record<string, unknown>): number | undefined {
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function zodOutcome(value: unknown): Outcome {
  if (!isRecord(value)) return { ok: false, code: 'invalid', id: undefined };
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(clientEnvelopeSchemas, type)) {
    return { ok: false, code: 'unknown_type', id: usableId(value) };
  }
  const result = z.safeParse(clientEnvelopeSchemas[type as keyof typeof clientEnvelopeSchemas], value);
  if (result.success) return { ok: true, value: result.data };
  const path = (result.error.issues[0] as z.core.$ZodIssue).path.map(String).join('.');
  return { ok: false, code: 'invalid', id: usableId(value), path: `${type}.${path}` };
}

/** Serialises with `undefined` kept and keys in their order, to compare key order too. */
const ordered = (value: unknown) => JSON.stringify(value, (_key, v) => (v === undefined ? '<undefined>' : v));

function expectAgreement(value: unknown): DecodeResult<ClientEnvelope> {
  const guard = validateClientEnvelope(value);
  const reference = zodOutcome(value);
  const context = ordered(value);
  expect(guard.ok, context).toBe(reference.ok);
  if (guard.ok && reference.ok) {
    expect(guard.value, context).toStrictEqual(reference.value);
    expect(ordered(guard.value), context).toBe(ordered(reference.value));
  } else if (!guard.ok && !reference.ok) {
    expect(guard.error.code, context).toBe(reference.code);
    expect(guard.error.id, context).toBe(reference.id);
    if (reference.path) expect(guard.error.message.startsWith(`${reference.path}: `), guard.error.message).toBe(true);
  }
  return guard;
}

/** One envelope of each type with every optional field present. */
const FULL: { [K in keyof typeof clientEnvelopeSchemas]: Extract<ClientEnvelope, { type: K }> } = {
  subscribe: { type: 'subscribe', id: 1, topic: 'chat:1', since: 'e1:5', rewind: 10 },
  unsubscribe: { type: 'unsubscribe', id: 2, topic: 'chat:1' },
  publish: {
    type: 'publish',
    id: 3,
    topic: 'chat:1',
    data: { text: 'hi' },
    messageId: 'm:1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
  rpc: { type: 'rpc', id: 4, method: 'notifications.list', data: [1, 2] },
  ping: { type: 'ping' },
  auth: { type: 'auth', id: 5, token: 'a.b.c' },
};

/** Sets an own property, even `__proto__`, as `JSON.parse` does. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function withField(envelope: object, key: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(envelope) as Record<string, unknown>;
  if (value === undefined) delete copy[key];
  else setOwn(copy, key, value);
  return copy;
}

const REPLACEMENTS: unknown[] = [
  ...[null, true, {}, [], '', 'x', 'a b', 'e:01', 'e:1', 0, -0, -1, 1.5, 10_000, 10_001, 2 ** 53 - 1, 2 ** 53],
  ...[Number.NaN, Number.POSITIVE_INFINITY],
  // every string limit of the schemas, and one past it
  ...[50, 51, 64, 65, 128, 129, 256, 257, 8192, 8193].map((n) => 'x'.repeat(n)),
];

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...REPLACEMENTS, undefined),
  topicArb,
  offsetArb,
  countArb,
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const keyArb = fc.oneof(
  fc.constantFrom('type', 'id', 'topic', 'data', 'since', 'rewind', 'messageId', 'traceparent', 'method', 'token'),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'extra'),
);
const typeArb = fc.constantFrom(...Object.keys(clientEnvelopeSchemas), 'pong', 'nope', '', 'toString', null, 1);
const anyEnvelopeArb = fc.oneof(...Object.values(clientEnvelopeArbs)) as fc.Arbitrary<ClientEnvelope>;
const mutatedArb = fc
  .tuple(anyEnvelopeArb, fc.array(fc.tuple(keyArb, valueArb), { minLength: 1, maxLength: 3 }), fc.option(typeArb))
  .map(([envelope, changes, type]) => {
    let value = structuredClone(envelope) as Record<string, unknown>;
    for (const [key, replacement] of changes) value = withField(value, key, replacement);
    return type === null ? value : withField(value, 'type', type);
  });

describe('client envelope guard agrees with the zod schemas', () => {
  it('has a full sample of every envelope type, with every field of its schema', () => {
    expect(Object.keys(FULL).sort()).toEqual(Object.keys(clientEnvelopeSchemas).sort());
    for (const [type, schema] of Object.entries(clientEnvelopeSchemas)) {
      const full = FULL[type as keyof typeof FULL];
      expect(Object.keys(full).sort()).toEqual(Object.keys(schema.shape).sort());
      expect(expectAgreement(full)).toEqual({ ok: true, value: full });
    }
  });

  it.each(Object.keys(FULL))('agrees on every single-field change of a full %s', (type) => {
    const full = FULL[type as keyof typeof FULL];
    for (const key of Object.keys(full)) {
      expectAgreement(withField(full, key, undefined));
      for (const value of REPLACEMENTS) expectAgreement(withField(full, key, value));
    }
    for (const name of ['extra', '__proto__', 'constructor']) {
      expect(expectAgreement(withField(full, name, 1)).ok).toBe(true);
    }
  });

  it('accepts every valid envelope, returning an equal value (2,000 runs)', () => {
    fc.assert(
      fc.property(anyEnvelopeArb, (generated) => {
        const envelope = structuredClone(generated);
        expect(expectAgreement(envelope)).toStrictEqual({ ok: true, value: envelope });
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees on mutated envelopes: fields deleted, replaced, added, retyped (3,000 runs)', () => {
    fc.assert(
      fc.property(mutatedArb, (value) => {
        expectAgreement(value);
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps the bytes of a binary publish as its data', () => {
    const header = new TextEncoder().encode(JSON.stringify({ type: 'publish', id: 1, topic: 't' }));
    const frame = new Uint8Array([1, 0, header.length, ...header, 7, 8]);
    const result = decodeClientBinaryFrame(frame);
    expect(result).toEqual({ ok: true, value: { type: 'publish', id: 1, topic: 't', data: new Uint8Array([7, 8]) } });
  });
});
