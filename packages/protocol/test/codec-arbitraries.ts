import fc from 'fast-check';
import type { ClientEnvelope, Member, ServerEnvelope } from '../src/index';

/**
 * fast-check arbitraries of valid envelopes, one per envelope type, shared by the codec tests.
 * Values are normalised through JSON (e.g. `-0` becomes `0`) so they equal what travels on the wire.
 */

const jsonNormal = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const chars = (alphabet: string) => fc.constantFrom(...alphabet);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const requestIdArb = fc.maxSafeNat();
export const countArb = fc.maxSafeNat();
export const topicArb = fc.oneof(
  fc.string({ unit: chars(`${ALNUM}_.:@/=+~-`), minLength: 1, maxLength: 40 }),
  fc.string({ unit: chars('ab:'), minLength: 256, maxLength: 256 }),
);
export const offsetArb = fc
  .tuple(fc.string({ unit: chars(`${ALNUM}_-`), minLength: 1, maxLength: 32 }), fc.maxSafeNat())
  .map(([epoch, seq]) => `${epoch}:${seq}`);
export const methodArb = fc.string({ unit: chars(`${ALNUM}_.:/-`), minLength: 1, maxLength: 128 });
/** Any JSON value up to 10 levels deep. */
export const dataArb = fc.jsonValue({ maxDepth: 10 }).map(jsonNormal);
/** Message ids: 1–64 characters of `[A-Za-z0-9_.:-]`. */
const messageIdArb = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
/** Any string up to the limit: the codec checks the length only (PROTOCOL.md §4.7). */
const traceparentArb = fc.string({ maxLength: 128 });
/** Any finite number: publish times are ms since the Unix epoch, but the schema takes any. */
const tsArb = fc.double({ noNaN: true, noDefaultInfinity: true }).map(jsonNormal);
const smallDataArb = fc.jsonValue({ maxDepth: 4 }).map(jsonNormal);
const textArb = (maxLength: number) => fc.string({ unit: 'binary', maxLength: Math.floor(maxLength / 2) });

export const memberArb: fc.Arbitrary<Member> = fc.record(
  { client: textArb(64), user: textArb(256), info: smallDataArb },
  { requiredKeys: ['client'] },
);

export const clientEnvelopeArbs = {
  subscribe: fc.record(
    {
      type: fc.constant('subscribe' as const),
      id: requestIdArb,
      topic: topicArb,
      since: offsetArb,
      rewind: fc.integer({ min: 0, max: 10_000 }),
    },
    { requiredKeys: ['type', 'id', 'topic'] },
  ),
  unsubscribe: fc.record({ type: fc.constant('unsubscribe' as const), id: requestIdArb, topic: topicArb }),
  publish: fc.record(
    {
      type: fc.constant('publish' as const),
      id: requestIdArb,
      topic: topicArb,
      data: dataArb,
      messageId: messageIdArb,
      traceparent: traceparentArb,
    },
    { requiredKeys: ['type', 'topic', 'data'] },
  ),
  rpc: fc.record({ type: fc.constant('rpc' as const), id: requestIdArb, method: methodArb, data: dataArb }),
  ping: fc.record({ type: fc.constant('ping' as const) }),
  auth: fc.record({
    type: fc.constant('auth' as const),
    id: requestIdArb,
    token: fc.string({ unit: 'binary', minLength: 1, maxLength: 4096 }),
  }),
} satisfies { [K in ClientEnvelope['type']]: fc.Arbitrary<Extract<ClientEnvelope, { type: K }>> };

export const serverEnvelopeArbs = {
  welcome: fc.record({
    type: fc.constant('welcome' as const),
    protocol: fc.constant(1 as const),
    session: textArb(64),
    heartbeat: countArb,
    limits: fc.record({ maxPayload: countArb, maxSubscriptions: countArb }),
  }),
  message: fc.record({
    type: fc.constant('message' as const),
    topic: topicArb,
    offset: offsetArb,
    data: dataArb,
    ts: tsArb,
  }),
  subscribed: fc.record(
    {
      type: fc.constant('subscribed' as const),
      id: requestIdArb,
      topic: topicArb,
      offset: offsetArb,
      recovered: fc.boolean(),
      presence: fc.array(memberArb, { maxLength: 5 }),
    },
    { requiredKeys: ['type', 'id', 'topic', 'offset', 'recovered'] },
  ),
  unsubscribed: fc.record(
    { type: fc.constant('unsubscribed' as const), id: requestIdArb, topic: topicArb },
    { requiredKeys: ['type', 'topic'] },
  ),
  ack: fc.record(
    { type: fc.constant('ack' as const), id: requestIdArb, offset: offsetArb },
    { requiredKeys: ['type', 'id'] },
  ),
  reply: fc.record({ type: fc.constant('reply' as const), id: requestIdArb, data: dataArb }),
  error: fc.record(
    {
      type: fc.constant('error' as const),
      id: requestIdArb,
      code: textArb(64),
      message: textArb(1024),
      retryAfter: countArb,
      topic: topicArb,
    },
    { requiredKeys: ['type', 'code', 'message'] },
  ),
  pong: fc.record({ type: fc.constant('pong' as const) }),
  presence: fc.record({
    type: fc.constant('presence' as const),
    topic: topicArb,
    joins: fc.array(memberArb, { maxLength: 5 }),
    leaves: fc.array(memberArb, { maxLength: 5 }),
  }),
  refresh: fc.record({ type: fc.constant('refresh' as const), deadline: countArb }),
  broadcast: fc.record({ type: fc.constant('broadcast' as const), data: dataArb, ts: tsArb }),
} satisfies { [K in ServerEnvelope['type']]: fc.Arbitrary<Extract<ServerEnvelope, { type: K }>> };

/** Headers of binary frames: a `publish` or `message` without `data`. */
export const publishHeaderArb = fc.record(
  {
    type: fc.constant('publish' as const),
    id: requestIdArb,
    topic: topicArb,
    messageId: messageIdArb,
    traceparent: traceparentArb,
  },
  { requiredKeys: ['type', 'topic'] },
);
export const messageHeaderArb = fc.record({
  type: fc.constant('message' as const),
  topic: topicArb,
  offset: offsetArb,
  ts: tsArb,
});

/** A random byte string, sometimes empty, sometimes a few KB. */
export const bytesArb = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 1000, maxLength: 5000 }));
