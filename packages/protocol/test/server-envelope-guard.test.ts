import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { validateServerEnvelope } from '../src/codec/server-envelope-guard';
import { type DecodeResult, type ServerEnvelope, decodeServerEnvelope, serverEnvelopeSchemas } from '../src/index';
import { countArb, memberArb, offsetArb, serverEnvelopeArbs, topicArb } from './codec-arbitraries';

/**
 * The hand-written guard must accept and reject exactly what the zod schemas do, and output what
 * zod outputs (the schema's keys only, in the schema's order). Checked against
 * `z.safeParse(serverEnvelopeSchemas[type], value)` on valid envelopes, on every single-field
 * change of a full envelope, and on randomly mutated ones. The properties run ~7,000 inputs in
 * total, about a second.
 */

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; id: number | undefined; path?: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function usableId(value: Record<string, unknown>): number | undefined {
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/** What zod says of a parsed frame, as an outcome. */
function zodOutcome(value: unknown): Outcome {
  if (!isRecord(value)) return { ok: false, code: 'invalid', id: undefined };
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(serverEnvelopeSchemas, type)) {
    return { ok: false, code: 'unknown_type', id: usableId(value) };
  }
  const result = z.safeParse(serverEnvelopeSchemas[type as keyof typeof serverEnvelopeSchemas], value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  return { ok: false, code: 'invalid', id: usableId(value), path: `${type}.${pathOf(issue)}` };
}

/** Serialises with `undefined` kept and keys in their order, to compare key order too. */
const ordered = (value: unknown) => JSON.stringify(value, (_key, v) => (v === undefined ? '<undefined>' : v));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Fails unless the guard and zod agree on `value`: outcome, output, error code, id and path. */
function expectAgreement(value: unknown): DecodeResult<ServerEnvelope> {
  const guard = validateServerEnvelope(value);
  const reference = zodOutcome(value);
  const context = ordered(value);
  expect(guard.ok, context).toBe(reference.ok);
  if (guard.ok && reference.ok) {
    expect(guard.value, context).toStrictEqual(reference.value);
    expect(ordered(guard.value), context).toBe(ordered(reference.value));
  } else if (!guard.ok && !reference.ok) {
    expect(guard.error.code, context).toBe(reference.code);
    expect(guard.error.id, context).toBe(reference.id);
    if (reference.path)
      expect(guard.error.message, context).toMatch(new RegExp(`^${escapeRegExp(reference.path)}: .+`));
  }
  return guard;
}

/** One envelope of each type with every optional field present. */
const FULL: { [K in keyof typeof serverEnvelopeSchemas]: Extract<ServerEnvelope, { type: K }> } = {
  welcome: {
    type: 'welcome',
    protocol: 1,
    session: 's1',
    heartbeat: 25_000,
    limits: { maxPayload: 65_536, maxSubscriptions: 100 },
  },
  message: { type: 'message', topic: 'chat:1', offset: 'e1:5', data: { text: 'hi' }, ts: 1_700_000_000_000 },
  subscribed: {
    type: 'subscribed',
    id: 1,
    topic: 'chat:1',
    offset: 'e1:5',
    recovered: true,
    presence: [{ client: 'c1', user: 'u1', info: { name: 'Ada' } }],
  },
  unsubscribed: { type: 'unsubscribed', id: 2, topic: 'chat:1' },
  ack: { type: 'ack', id: 3, offset: 'e1:6' },
  reply: { type: 'reply', id: 4, data: [1, 2] },
  error: { type: 'error', id: 5, code: 'rate_limited', message: 'slow down', retryAfter: 1000, topic: 'chat:1' },
  pong: { type: 'pong' },
  presence: {
    type: 'presence',
    topic: 'chat:1',
    joins: [{ client: 'c2', user: 'u2', info: null }],
    leaves: [{ client: 'c3' }],
  },
  refresh: { type: 'refresh', deadline: 30_000 },
  broadcast: { type: 'broadcast', data: 'hello', ts: 1 },
};

/**
 * The objects and arrays of an envelope that its schema describes, the envelope first. Payloads
 * (`data`, a member's `info`) are `z.unknown()`: anything goes there, so they are not entered.
 */
function containersOf(value: unknown, out: (Record<string, unknown> | unknown[])[] = []) {
  if (Array.isArray(value)) {
    out.push(value);
    for (const item of value) containersOf(item, out);
  } else if (isRecord(value)) {
    out.push(value);
    for (const [key, field] of Object.entries(value)) if (key !== 'data' && key !== 'info') containersOf(field, out);
  }
  return out;
}

/** Sets an own property, even `__proto__`, as `JSON.parse` does. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const around = (limit: number) => fc.integer({ min: limit - 2, max: limit + 2 }).map((n) => 'x'.repeat(n));

/** Replacement values: near every limit of the schemas, of every JSON type, and a few non-JSON ones. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, 1, 2, -1, 0.5, 1.5, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300, Number.MIN_VALUE),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined),
  fc.constantFrom(null, true, false, [], {}, '', 'a b', 'chat', 'é', 'welcome', '1'),
  fc.constantFrom('e:0', 'e:01', 'e:-1', 'e:1\n', `${'e'.repeat(32)}:1`, `${'e'.repeat(33)}:1`),
  fc.constantFrom(`e:${'9'.repeat(16)}`, `e:${'9'.repeat(17)}`, 'e:', ':1', 'e:1:2'),
  around(64),
  around(256),
  around(1024),
  topicArb,
  offsetArb,
  countArb,
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.jsonValue({ maxDepth: 2 }),
  memberArb,
  fc.array(memberArb, { maxLength: 3 }),
  fc.record({ maxPayload: countArb, maxSubscriptions: countArb }),
);

const extraKeyArb = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'extra', 'Type', 'type '),
  fc.constantFrom('id', 'topic', 'data', 'offset', 'client', 'user', 'info', 'maxPayload'),
  fc.string({ maxLength: 8 }),
);

const typeArb = fc.oneof(
  fc.constantFrom(...Object.keys(serverEnvelopeSchemas)),
  fc.constantFrom('ping', 'publish', 'nope', '', 'toString', '__proto__', 'Welcome'),
  fc.constantFrom(null, 1, undefined, ['welcome']),
);

const mutationArb = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), target: fc.nat(), key: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), target: fc.nat(), key: fc.nat(), value: valueArb }),
  fc.record({ op: fc.constant('add' as const), target: fc.nat(), name: extraKeyArb, value: valueArb }),
  fc.record({ op: fc.constant('retype' as const), value: typeArb }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

function mutate(envelope: unknown, mutations: readonly Mutation[]): unknown {
  const value = structuredClone(envelope) as Record<string, unknown>;
  for (const mutation of mutations) {
    if (mutation.op === 'retype') {
      setOwn(value, 'type', structuredClone(mutation.value));
      continue;
    }
    const containers = containersOf(value);
    const target = containers[mutation.target % containers.length] as Record<string, unknown> | unknown[];
    const replacement = mutation.op === 'delete' ? undefined : structuredClone(mutation.value);
    if (Array.isArray(target)) {
      const index = mutation.op === 'add' || target.length === 0 ? -1 : mutation.key % target.length;
      if (index < 0) target.push(replacement);
      else if (mutation.op === 'delete') target.splice(index, 1);
      else target[index] = replacement;
    } else {
      const keys = Object.keys(target);
      if (mutation.op === 'add') setOwn(target, mutation.name, replacement);
      else if (keys.length === 0) continue;
      else if (mutation.op === 'delete') delete target[keys[mutation.key % keys.length] as string];
      else setOwn(target, keys[mutation.key % keys.length] as string, replacement);
    }
  }
  return value;
}

const anyEnvelopeArb = fc.oneof(...Object.values(serverEnvelopeArbs)) as fc.Arbitrary<ServerEnvelope>;
const mutatedArb = fc
  .tuple(anyEnvelopeArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
  .map(([envelope, mutations]) => mutate(envelope, mutations));

describe('server envelope guard agrees with the zod schemas', () => {
  it('has a full sample of every envelope type, with every field of its schema', () => {
    expect(Object.keys(FULL).sort()).toEqual(Object.keys(serverEnvelopeSchemas).sort());
    for (const [type, schema] of Object.entries(serverEnvelopeSchemas)) {
      expect(Object.keys(FULL[type as keyof typeof FULL]).sort()).toEqual(Object.keys(schema.shape).sort());
      expect(validateServerEnvelope(FULL[type as keyof typeof FULL])).toEqual({ ok: true, value: FULL[type as never] });
    }
  });

  it.each(Object.keys(FULL))('agrees on every single-field change of a full %s', (type) => {
    const full = FULL[type as keyof typeof FULL];
    const replacements = [
      ...[undefined, null, true, {}, [], '', 'x', 'a b', 'e:01', 0, -0, -1, 1.5, 2 ** 53 - 1, 2 ** 53, Number.NaN],
      // every string limit of the schemas, and one past it
      ...[64, 65, 256, 257, 1024, 1025].map((n) => 'x'.repeat(n)),
    ];
    const containers = containersOf(full);
    let variants = 0;
    for (const [c, container] of containers.entries()) {
      // `mutate` picks the k-th key (or element) of the c-th container.
      const size = Array.isArray(container) ? container.length : Object.keys(container).length;
      for (let k = 0; k < size; k++) {
        expectAgreement(mutate(full, [{ op: 'delete', target: c, key: k }]));
        variants++;
        for (const value of replacements) {
          expectAgreement(mutate(full, [{ op: 'replace', target: c, key: k, value }]));
          variants++;
        }
      }
      for (const name of ['extra', '__proto__', 'constructor']) {
        const result = expectAgreement(mutate(full, [{ op: 'add', target: c, name, value: 1 }]));
        variants++;
        if (!Array.isArray(container)) expect(result.ok).toBe(true);
      }
    }
    expect(variants).toBeGreaterThanOrEqual(17); // pong: its `type`, deleted or changed, and 3 extra keys
  });

  it('accepts every valid envelope, returning an equal value (2,000 runs)', () => {
    fc.assert(
      fc.property(anyEnvelopeArb, (generated) => {
        const envelope = structuredClone(generated); // a plain object, as JSON.parse makes (fc.record's have no prototype)
        const result = expectAgreement(envelope);
        expect(result).toStrictEqual({ ok: true, value: envelope });
      }),
      { numRuns: 2_000 },
    );
  });

  it('agrees on mutated envelopes: fields deleted, replaced, added, retyped (5,000 runs)', () => {
    fc.assert(
      fc.property(mutatedArb, (value) => {
        expectAgreement(value);
      }),
      { numRuns: 5_000 },
    );
  });

  it('mutations reach acceptance, invalid fields and unknown types alike', () => {
    const counts: Record<string, number> = {};
    for (const value of fc.sample(mutatedArb, { numRuns: 2_000, seed: 7 })) {
      const outcome = zodOutcome(value);
      const key = outcome.ok ? 'ok' : outcome.code;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['invalid', 'ok', 'unknown_type']);
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(100);
  });
});

describe('server envelope guard output', () => {
  it('strips unknown keys at every level, like zod', () => {
    const text = JSON.stringify({
      type: 'presence',
      x: 1,
      topic: 't',
      joins: [{ client: 'a', role: 'admin', info: { kept: true } }],
      leaves: [],
    });
    expect(decodeServerEnvelope(text)).toStrictEqual({
      ok: true,
      value: { type: 'presence', topic: 't', joins: [{ client: 'a', info: { kept: true } }], leaves: [] },
    });
    const welcome =
      '{"type":"welcome","protocol":1,"session":"s","heartbeat":0,"limits":{"maxPayload":1,"maxSubscriptions":2,"x":3},"y":4}';
    expect(decodeServerEnvelope(welcome)).toStrictEqual({
      ok: true,
      value: {
        type: 'welcome',
        protocol: 1,
        session: 's',
        heartbeat: 0,
        limits: { maxPayload: 1, maxSubscriptions: 2 },
      },
    });
  });

  it('ignores an own __proto__ key of the frame', () => {
    const result = decodeServerEnvelope('{"type":"pong","__proto__":{"polluted":true}}');
    expect(result).toStrictEqual({ ok: true, value: { type: 'pong' } });
    if (result.ok) expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns a new object, and passes payloads through unchanged', () => {
    const data = { nested: [1, { deep: 'x' }] };
    const envelope = { type: 'reply', id: 1, data };
    const result = validateServerEnvelope(envelope);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).not.toBe(envelope);
    expect((result.value as { data: unknown }).data).toBe(data);
  });

  it('keeps an optional key holding undefined, as zod does (only possible off the wire)', () => {
    expect(validateServerEnvelope({ type: 'ack', id: 1, offset: undefined })).toStrictEqual({
      ok: true,
      value: { type: 'ack', id: 1, offset: undefined },
    });
    expect(validateServerEnvelope({ type: 'ack', id: 1 })).toStrictEqual({ ok: true, value: { type: 'ack', id: 1 } });
  });

  it('requires `data` to be present, though any value goes', () => {
    expect(validateServerEnvelope({ type: 'reply', id: 1, data: null }).ok).toBe(true);
    expect(decodeServerEnvelope('{"type":"reply","id":1}')).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'reply.data: required', id: 1 },
    });
  });

  it.each([
    ['{"type":"welcome","protocol":1,"session":"s","heartbeat":0,"limits":[]}', 'welcome.limits: expected an object'],
    [
      '{"type":"subscribed","id":1,"topic":"t","offset":"e:1","recovered":1}',
      'subscribed.recovered: expected a boolean',
    ],
    ['{"type":"presence","topic":"t","joins":{},"leaves":[]}', 'presence.joins: expected an array'],
    [
      '{"type":"presence","topic":"t","joins":[],"leaves":[{"client":"a","user":7}]}',
      'presence.leaves[0].user: expected a string',
    ],
    [
      '{"type":"error","code":"x","message":"m","topic":""}',
      'error.topic: expected a topic: 1+ characters of [A-Za-z0-9_.:@/=+~-]',
    ],
    ['{"type":"ack","id":1,"offset":"e:01"}', 'ack.offset: expected an offset "<epoch>:<seq>"'],
    ['{"type":"refresh","deadline":1.5}', 'refresh.deadline: expected a non-negative integer'],
    ['{"type":"broadcast","data":1,"ts":"1"}', 'broadcast.ts: expected a finite number'],
    [`{"type":"error","code":"${'c'.repeat(65)}","message":"m"}`, 'error.code: expected at most 64 characters'],
  ])('explains %s', (text, message) => {
    expect(decodeServerEnvelope(text)).toMatchObject({ ok: false, error: { code: 'invalid', message } });
  });
});

/**
 * In place (`decodeServerEnvelope(text, { inPlace: true })`, the client's decoder): the same
 * verdicts and errors as the copy, and on success the parsed object itself, holding the copy's
 * fields (it may hold unknown keys besides).
 */
function expectSameInPlace(value: unknown): void {
  const input = structuredClone(value);
  const copied = validateServerEnvelope(value);
  const inPlace = validateServerEnvelope(input, true);
  const context = ordered(value);
  if (!copied.ok) {
    expect(inPlace, context).toStrictEqual(copied);
    return;
  }
  expect(inPlace.ok, context).toBe(true);
  if (!inPlace.ok) return;
  expect(inPlace.value, context).toBe(input);
  const fields = Object.fromEntries(Object.keys(copied.value).map((key) => [key, (input as never)[key]]));
  expect(fields, context).toStrictEqual(copied.value);
}

describe('server envelope guard, in place', () => {
  it('accepts every valid envelope as the parsed object itself (1,000 runs)', () => {
    fc.assert(
      fc.property(anyEnvelopeArb, (generated) => expectSameInPlace(structuredClone(generated))),
      { numRuns: 1_000 },
    );
  });

  it('agrees with the copy on mutated envelopes: verdict, error, fields (3,000 runs)', () => {
    fc.assert(
      fc.property(mutatedArb, (value) => expectSameInPlace(value)),
      { numRuns: 3_000 },
    );
  });

  it('keeps unknown keys at the top, copies nested objects, and decodes text frames so', () => {
    const text =
      '{"type":"presence","x":1,"topic":"t","joins":[{"client":"a","role":"admin","info":{"kept":true}}],"leaves":[]}';
    expect(decodeServerEnvelope(text, { inPlace: true })).toStrictEqual({
      ok: true,
      value: { type: 'presence', x: 1, topic: 't', joins: [{ client: 'a', info: { kept: true } }], leaves: [] },
    });
    const message = '{"type":"message","topic":"t","offset":"e:1","data":{"a":1},"ts":5,"extra":[1]}';
    expect(decodeServerEnvelope(message, { inPlace: true })).toStrictEqual({
      ok: true,
      value: { type: 'message', topic: 't', offset: 'e:1', data: { a: 1 }, ts: 5, extra: [1] },
    });
    expect(
      decodeServerEnvelope('{"type":"message","topic":"t","offset":"e:01","data":1,"ts":5}', { inPlace: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: 'message.offset: expected an offset "<epoch>:<seq>"' },
    });
  });
});
