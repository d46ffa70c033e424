import type { ClientEnvelope, ClientEnvelopeType } from '../envelopes/client-envelopes';
import { describeIssues } from '../topics/standard-schema';
import { OFFSET_RE } from '../offset';
import { isValidTopic, MAX_TOPIC_LENGTH } from '../topics/topic-name';
import { MAX_TRACEPARENT_LENGTH } from '../trace-context';
import {
  count,
  fieldsOf,
  integer,
  type Issues,
  nonEmpty,
  optional,
  type Shape,
  text,
  unknown,
} from '../validation/guards';
import { decodeFailure, type DecodeResult } from './decode-result';
import { envelopeFailure, requestIdOf } from './frame';

/**
 * The client → server envelopes checked with the protocol's validator kit instead of zod: the
 * server runs this on every frame a client sends, and zod's per-field bookkeeping was most of the
 * decode cost of an RPC (issue #18, goal 2). It applies exactly the constraints of
 * `client-envelopes.ts` and `fields.ts` (client input stays fully validated);
 * `test/client-envelope-guard.test.ts` checks it against the zod schemas.
 *
 * Only type imports from the envelope modules: importing them at runtime would pull in zod.
 */

const MESSAGE_ID_RE = /^[A-Za-z0-9_.:-]+$/;
const METHOD_RE = /^[A-Za-z0-9_.:/-]+$/;

/** The fields of one envelope type but `type` (which the envelope table already matched). */
type Fields<K extends ClientEnvelopeType> = Shape<Omit<Extract<ClientEnvelope, { type: K }>, 'type'>>;

type FieldsTable = Readonly<Record<ClientEnvelopeType, ReturnType<typeof fieldsOf>>>;

/**
 * Builds the checks of every client → server envelope, by `type`. Built on first use, not at
 * module load: a bundle that never decodes client envelopes (the browser client) drops all of it.
 */
function buildFields(): FieldsTable {
  const topic = text({
    max: MAX_TOPIC_LENGTH,
    pattern: { re: { test: isValidTopic }, expected: 'a topic: 1+ characters of [A-Za-z0-9_.:@/=+~-]' },
  });
  const offset = text({ max: 50, pattern: { re: OFFSET_RE, expected: 'an offset "<epoch>:<seq>"' } });
  const messageId = nonEmpty(
    text({ max: 64, pattern: { re: MESSAGE_ID_RE, expected: 'a message id of [A-Za-z0-9_.:-]' } }),
  );
  const method = nonEmpty(
    text({ max: 128, pattern: { re: METHOD_RE, expected: 'a method name of [A-Za-z0-9_.:/-]' } }),
  );
  const shapes: { [K in ClientEnvelopeType]: Fields<K> } = {
    subscribe: { id: count, topic, since: optional(offset), rewind: optional(integer(0, 10_000)) },
    unsubscribe: { id: count, topic },
    publish: {
      id: optional(count),
      topic,
      data: unknown,
      messageId: optional(messageId),
      traceparent: optional(text({ max: MAX_TRACEPARENT_LENGTH })),
    },
    rpc: { id: count, method, data: unknown },
    ping: {},
    auth: { id: count, token: nonEmpty(text({ max: 8192 })) },
  };
  return Object.fromEntries(
    Object.entries(shapes).map(([type, shape]) => [type, fieldsOf(shape as Shape<object>)]),
  ) as FieldsTable;
}

let FIELDS: FieldsTable | undefined;

/** The issues of the envelope being checked: one array for every frame (checks are synchronous). */
const ISSUES: Issues = [];

/**
 * Validates an already-parsed client → server envelope (or binary `publish` header with its
 * bytes as `data`). Same results as the zod schemas: `unknown_type` for a missing or unknown
 * `type`, `invalid` with `<type>.<path>: <reason>` for the first bad field, the request id kept
 * when usable; on success, a fresh object with the schema's keys only.
 */
export function validateClientEnvelope<T = ClientEnvelope>(value: unknown): DecodeResult<T> {
  FIELDS ??= buildFields();
  const failed = envelopeFailure(value, FIELDS);
  if (failed) return failed;
  const record = value as Record<string, unknown>;
  const type = record.type as ClientEnvelopeType;
  // `type` (already matched) starts the output, so the keys come in the schema's order.
  const envelope: Record<string, unknown> = { type };
  ISSUES.length = 0; // here, not after use: nothing left over could ever fail a later frame
  FIELDS[type](record, envelope, ISSUES);
  if (ISSUES.length > 0) {
    const message = `${type}.${describeIssues(ISSUES.slice(0, 1))}`;
    return decodeFailure('invalid', message.slice(0, 512), requestIdOf(record));
  }
  return { ok: true, value: envelope as T };
}
