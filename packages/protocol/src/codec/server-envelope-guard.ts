import type { Member } from '../envelopes/fields';
import type { ServerEnvelope, ServerEnvelopeType, Welcome } from '../envelopes/server-envelopes';
import { describeIssues } from '../topics/standard-schema';
import { OFFSET_RE } from '../offset';
import { isValidTopic, MAX_TOPIC_LENGTH } from '../topics/topic-name';
import {
  array,
  boolean,
  count,
  finite,
  type Issues,
  fieldsOf,
  literal,
  object,
  optional,
  type Shape,
  text,
  unknown,
} from '../validation/guards';
import { decodeFailure, type DecodeResult } from './decode-result';
import { envelopeFailure, requestIdOf } from './frame';

/**
 * The server → client envelopes checked with the protocol's validator kit, so a browser client
 * decodes them without bundling zod (~7 KB min+gzip). It applies exactly the constraints of
 * `server-envelopes.ts` and `fields.ts`; `test/server-envelope-guard.test.ts` checks it against zod.
 *
 * Only type imports from the envelope modules: importing them at runtime would pull in zod.
 */

const topic = text({
  max: MAX_TOPIC_LENGTH,
  pattern: { re: { test: isValidTopic }, expected: 'a topic: 1+ characters of [A-Za-z0-9_.:@/=+~-]' },
});
const offset = text({ max: 50, pattern: { re: OFFSET_RE, expected: 'an offset "<epoch>:<seq>"' } });
/** A request id or count: a non-negative safe integer. */
const members = array(
  object<Member>({ client: text({ max: 64 }), user: optional(text({ max: 256 })), info: optional(unknown) }),
);

/** The fields of one envelope type but `type` (which the envelope table already matched). */
type Fields<K extends ServerEnvelopeType> = Shape<Omit<Extract<ServerEnvelope, { type: K }>, 'type'>>;

/** The fields of every server → client envelope, by `type`. */
const SHAPES: { [K in ServerEnvelopeType]: Fields<K> } = {
  welcome: {
    protocol: literal(1),
    session: text({ max: 64 }),
    heartbeat: count,
    limits: object<Welcome['limits']>({
      maxPayload: count,
      maxBinaryPayload: optional(count),
      maxSubscriptions: count,
      maxInflight: optional(count),
    }),
  },
  message: { topic, offset, data: unknown, ts: finite },
  subscribed: { id: count, topic, offset, recovered: boolean, presence: optional(members) },
  unsubscribed: { id: optional(count), topic },
  ack: { id: count, offset: optional(offset) },
  reply: { id: count, data: unknown },
  error: {
    id: optional(count),
    code: text({ max: 64 }),
    message: text({ max: 1024 }),
    retryAfter: optional(count),
    topic: optional(topic),
  },
  pong: {},
  presence: { topic, joins: members, leaves: members },
  refresh: { deadline: count },
  broadcast: { data: unknown, ts: finite },
};

const FIELDS = Object.fromEntries(
  Object.entries(SHAPES).map(([type, shape]) => [type, fieldsOf(shape as Shape<object>)]),
) as Readonly<Record<ServerEnvelopeType, ReturnType<typeof fieldsOf>>>;

/**
 * Validates an already-parsed server → client envelope, without zod. Same results as the zod
 * schemas: `unknown_type` for a missing or unknown `type`, `invalid` with `<type>.<path>: <reason>`
 * for the first bad field, the request id kept when usable; on success, the schema's keys only —
 * or, `inPlace`, `value` itself, checked where it lies: keys the schema does not know stay on it
 * (nested objects, such as presence members, are still copied).
 */
export function validateServerEnvelope(value: unknown, inPlace = false): DecodeResult<ServerEnvelope> {
  const failed = envelopeFailure(value, FIELDS);
  if (failed) return failed;
  const record = value as Record<string, unknown>;
  const type = record.type as ServerEnvelopeType;
  const issues: Issues = [];
  // `type` (already matched) starts a copy, so its keys come in the schema's order.
  const envelope = inPlace ? record : { type };
  FIELDS[type](record, envelope, issues);
  if (issues.length > 0) {
    return decodeFailure('invalid', `${type}.${describeIssues(issues.slice(0, 1))}`, requestIdOf(record));
  }
  return { ok: true, value: envelope as unknown as ServerEnvelope };
}
