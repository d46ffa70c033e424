import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClientEnvelope,
  type DecodeResult,
  type ServerEnvelope,
  clientEnvelopeSchemas,
  decodeClientEnvelope,
  decodeServerEnvelope,
  encodeEnvelope,
  serverEnvelopeSchemas,
} from '../src/index';
import { clientEnvelopeArbs, serverEnvelopeArbs } from './codec-arbitraries';

function errorOf(result: DecodeResult<unknown>) {
  if (result.ok) throw new Error(`expected a decode error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Every field each arbitrary ever generates, over a sample (optional fields included). */
function keysGenerated(arb: fc.Arbitrary<object>): string[] {
  return [...new Set(fc.sample(arb, { numRuns: 200, seed: 1 }).flatMap((value) => Object.keys(value)))].sort();
}

describe('text codec round-trip', () => {
  it('has an arbitrary for every envelope type, generating every field', () => {
    for (const [schemas, arbs] of [
      [clientEnvelopeSchemas, clientEnvelopeArbs],
      [serverEnvelopeSchemas, serverEnvelopeArbs],
    ] as const) {
      expect(Object.keys(arbs).sort()).toEqual(Object.keys(schemas).sort());
      for (const [type, schema] of Object.entries(schemas)) {
        expect(keysGenerated(arbs[type as keyof typeof arbs])).toEqual(Object.keys(schema.shape).sort());
      }
    }
  });

  it.each(Object.entries(clientEnvelopeArbs))('round-trips client envelope %s', (_type, arb) => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<ClientEnvelope>, (envelope) => {
        expect(decodeClientEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, value: envelope });
      }),
      { numRuns: 200 },
    );
  });

  it.each(Object.entries(serverEnvelopeArbs))('round-trips server envelope %s', (_type, arb) => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<ServerEnvelope>, (envelope) => {
        expect(decodeServerEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, value: envelope });
      }),
      { numRuns: 200 },
    );
  });

  it('drops unknown fields but keeps the envelope', () => {
    expect(decodeClientEnvelope('{"type":"ping","extra":1}')).toEqual({ ok: true, value: { type: 'ping' } });
  });

  it('keeps the directions apart', () => {
    expect(errorOf(decodeClientEnvelope('{"type":"pong"}')).code).toBe('unknown_type');
    expect(errorOf(decodeServerEnvelope('{"type":"ping"}')).code).toBe('unknown_type');
  });
});

describe('text codec errors', () => {
  it.each(['', '{', 'nope', '{"type":"ping"', "{'type':'ping'}", '{"type":"ping"}x', 'undefined', 'NaN'])(
    'reports malformed JSON %j',
    (text) => {
      expect(errorOf(decodeClientEnvelope(text))).toEqual({ code: 'malformed', message: expect.any(String) });
      expect(errorOf(decodeServerEnvelope(text)).code).toBe('malformed');
    },
  );

  it.each([
    '{"type":"nope"}',
    '{}',
    '{"type":1}',
    '{"type":null}',
    '{"type":"toString"}',
    '{"type":"__proto__"}',
    '{"type":"constructor"}',
  ])('reports unknown_type for %s', (text) => {
    expect(errorOf(decodeClientEnvelope(text)).code).toBe('unknown_type');
    expect(errorOf(decodeServerEnvelope(text)).code).toBe('unknown_type');
  });

  it('names the unknown type, shortened', () => {
    expect(errorOf(decodeClientEnvelope('{"type":"nope"}')).message).toContain('"nope"');
    const long = errorOf(decodeClientEnvelope(JSON.stringify({ type: 'x'.repeat(1000) })));
    expect(long.message.length).toBeLessThan(100);
  });

  it.each(['[]', '[{"type":"ping"}]', '"ping"', 'null', '42', 'true'])(
    'reports invalid for non-object JSON %s',
    (t) => {
      expect(errorOf(decodeClientEnvelope(t))).toEqual({ code: 'invalid', message: expect.any(String) });
      expect(errorOf(decodeServerEnvelope(t)).code).toBe('invalid');
    },
  );

  it.each([
    ['{"type":"subscribe","id":1,"topic":5}', 'subscribe.topic'],
    ['{"type":"subscribe","id":1,"topic":"a b"}', 'subscribe.topic'],
    ['{"type":"subscribe","id":1,"topic":"t","since":"bad"}', 'subscribe.since'],
    ['{"type":"subscribe","id":"1","topic":"t"}', 'subscribe.id'],
    ['{"type":"subscribe","id":-1,"topic":"t"}', 'subscribe.id'],
    ['{"type":"subscribe","id":1.5,"topic":"t"}', 'subscribe.id'],
    ['{"type":"subscribe","id":1,"topic":"t","rewind":10001}', 'subscribe.rewind'],
    ['{"type":"unsubscribe","id":1}', 'unsubscribe.topic'],
    ['{"type":"publish","topic":"t"}', 'publish.data'],
    ['{"type":"publish","topic":"t","data":1,"messageId":""}', 'publish.messageId'],
    ['{"type":"publish","topic":"t","data":1,"messageId":"a b"}', 'publish.messageId'],
    [`{"type":"publish","topic":"t","data":1,"messageId":"${'x'.repeat(65)}"}`, 'publish.messageId'],
    ['{"type":"publish","topic":"t","data":1,"messageId":7}', 'publish.messageId'],
    ['{"type":"rpc","id":1,"method":"a b","data":null}', 'rpc.method'],
    ['{"type":"auth","id":1,"token":""}', 'auth.token'],
  ])('reports invalid client envelope %s at %s', (text, path) => {
    const error = errorOf(decodeClientEnvelope(text));
    expect(error.code).toBe('invalid');
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it.each([
    [
      '{"type":"welcome","protocol":2,"session":"s","heartbeat":0,"limits":{"maxPayload":1,"maxSubscriptions":1}}',
      'welcome.protocol',
    ],
    [
      '{"type":"welcome","protocol":1,"session":"s","heartbeat":0,"limits":{"maxPayload":"1","maxSubscriptions":1}}',
      'welcome.limits.maxPayload',
    ],
    ['{"type":"message","topic":"t","offset":"e:1","data":1,"ts":"now"}', 'message.ts'],
    ['{"type":"presence","topic":"t","joins":[{"client":"a"},{"client":1}],"leaves":[]}', 'presence.joins[1].client'],
    ['{"type":"error","code":"x","message":"m","retryAfter":-5}', 'error.retryAfter'],
  ])('reports invalid server envelope %s at %s', (text, path) => {
    const error = errorOf(decodeServerEnvelope(text));
    expect(error.code).toBe('invalid');
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it('keeps a valid numeric id in the error so it can be answered', () => {
    expect(errorOf(decodeClientEnvelope('{"type":"subscribe","id":7,"topic":5}'))).toEqual({
      code: 'invalid',
      message: expect.stringMatching(/^subscribe\.topic: /),
      id: 7,
    });
    expect(errorOf(decodeClientEnvelope('{"type":"nope","id":0}')).id).toBe(0);
    expect(errorOf(decodeServerEnvelope('{"type":"ack","id":3,"offset":1}')).id).toBe(3);
  });

  it.each(['"7"', '-1', '1.5', '1e300', 'null', '{}'])('drops an unusable id %s from the error', (id) => {
    const error = errorOf(decodeClientEnvelope(`{"type":"subscribe","id":${id},"topic":5}`));
    expect(error.code).toBe('invalid');
    expect(error).not.toHaveProperty('id');
  });
});

describe('text codec limits', () => {
  const publish = (data: string) => `{"type":"publish","topic":"t","data":${data}}`;

  it('rejects a frame longer than maxLength as too_large', () => {
    const text = publish(JSON.stringify('x'.repeat(100)));
    expect(decodeClientEnvelope(text, { maxLength: text.length }).ok).toBe(true);
    expect(errorOf(decodeClientEnvelope(text, { maxLength: text.length - 1 })).code).toBe('too_large');
    expect(errorOf(decodeServerEnvelope(text, { maxLength: 10 })).code).toBe('too_large');
  });

  it('defaults maxLength to 1 MiB', () => {
    const fits = publish(JSON.stringify('x'.repeat(1_048_576 - publish('""').length)));
    expect(fits.length).toBe(1_048_576);
    expect(decodeClientEnvelope(fits).ok).toBe(true);
    expect(errorOf(decodeClientEnvelope(`${fits} `)).code).toBe('too_large');
  });

  it('accepts nesting up to maxDepth (default 32, the envelope counts) and rejects deeper', () => {
    const nested = (levels: number) => publish(`${'['.repeat(levels)}${']'.repeat(levels)}`);
    expect(decodeClientEnvelope(nested(31)).ok).toBe(true);
    expect(errorOf(decodeClientEnvelope(nested(32))).code).toBe('too_large');
    expect(errorOf(decodeClientEnvelope(nested(3), { maxDepth: 3 })).code).toBe('too_large');
    expect(decodeClientEnvelope(nested(2), { maxDepth: 3 }).ok).toBe(true);
  });

  it('does not count brackets inside strings', () => {
    const text = publish(JSON.stringify(`[{"\\${'['.repeat(100)}`));
    expect(decodeClientEnvelope(text)).toMatchObject({ ok: true });
  });

  it('rejects 100,000 nested brackets quickly without throwing', () => {
    for (const open of ['[', '{"a":']) {
      const text = open.repeat(100_000);
      const start = performance.now();
      for (const decode of [decodeClientEnvelope, decodeServerEnvelope]) {
        expect(() => decode(text)).not.toThrow();
        expect(errorOf(decode(text)).code).toBe('too_large');
        expect(errorOf(decode(publish(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).code).toBe('too_large');
      }
      expect(performance.now() - start).toBeLessThan(500);
    }
  });

  it('does not throw on 100,000 levels even when the depth limit is lifted', () => {
    const deep = publish(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(() => decodeClientEnvelope(deep, { maxDepth: Number.POSITIVE_INFINITY })).not.toThrow();
    expect(() => decodeClientEnvelope('['.repeat(100_000), { maxDepth: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});
