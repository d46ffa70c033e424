import type { Member } from '../envelopes/fields';
import type { ServerEnvelope, ServerEnvelopeType, Welcome } from '../envelopes/server-envelopes';
import { isValidTopic, MAX_TOPIC_LENGTH } from '../topics/topic-name';
import { decodeFailure, type DecodeResult } from './decode-result';
import { envelopeFailure, requestIdOf } from './frame';

/**
 * A hand-written validator of server → client envelopes, so a browser client decodes them without
 * bundling zod (~7 KB min+gzip). It applies exactly the constraints of `server-envelopes.ts` and
 * `fields.ts`, and like the zod object schemas it returns a new value holding only the schema's
 * keys (unknown keys are stripped). `test/server-envelope-guard.test.ts` checks it against zod.
 *
 * Only type imports from the envelope modules: importing them at runtime would pull in zod.
 */

/** Why a value was rejected. Its path is filled in on the way out (`limits.maxPayload`, `joins[1].client`). */
class Issue {
  readonly path: (string | number)[] = [];
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

/** Checks a value: returns what goes into the output, or an {@link Issue}. */
type Guard = (value: unknown) => unknown;

type OptionalKeys<T> = { [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? K : never }[keyof T];

/**
 * The field guards of an object type, keyed like the type: optional keys end in `?`. `type` is
 * left out (the envelope table already matched it), and a missing or extra key is a type error.
 */
type Shape<T> = { [K in Exclude<keyof T, 'type'> & string as K extends OptionalKeys<T> ? `${K}?` : K]-?: Guard };

const OFFSET_RE = /^[A-Za-z0-9_-]{1,32}:(0|[1-9][0-9]{0,15})$/;

/** A string of at most `max` UTF-16 code units, which `valid` (if given) accepts. */
const text =
  (max: number, valid?: (value: string) => boolean, expected?: string): Guard =>
  (value) =>
    typeof value !== 'string'
      ? new Issue('expected a string')
      : value.length > max
        ? new Issue(`expected at most ${max} characters`)
        : valid && !valid(value)
          ? new Issue(`expected ${expected}`)
          : value;

const topic = text(MAX_TOPIC_LENGTH, isValidTopic, 'a topic: 1+ characters of [A-Za-z0-9_.:@/=+~-]');
const offset = text(50, (value) => OFFSET_RE.test(value), 'an offset "<epoch>:<seq>"');

/** A request id or count: a non-negative safe integer. */
const count: Guard = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 0 ? value : new Issue('expected a non-negative integer');

/** Any finite number (zod's `z.number()` rejects NaN and ±Infinity). */
const finite: Guard = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? value : new Issue('expected a finite number');

const boolean: Guard = (value) => (typeof value === 'boolean' ? value : new Issue('expected a boolean'));

/** Anything, passed through as is (`z.unknown()`); the key must still be present unless optional. */
const any: Guard = (value) => value;

const literal =
  (expected: number): Guard =>
  (value) =>
    value === expected ? value : new Issue(`expected ${expected}`);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field of a {@link Shape}, parsed once: its key, whether it is optional, its guard. */
type Field = readonly [key: string, optional: boolean, guard: Guard];

const fieldsOf = (shape: object): readonly Field[] =>
  Object.entries(shape).map(([spec, guard]: [string, Guard]) =>
    spec.endsWith('?') ? [spec.slice(0, -1), true, guard] : [spec, false, guard],
  );

/**
 * Copies `fields` from `input` into `output`, checking each, in the shape's order (so the first
 * issue is the one zod reports first). An absent optional key stays absent; a present one holding
 * `undefined` is kept as `undefined`, as zod does.
 */
function copyFields(
  fields: readonly Field[],
  input: Record<string, unknown>,
  output: Record<string, unknown>,
): unknown {
  for (const [key, optional, guard] of fields) {
    if (!(key in input)) {
      if (optional) continue;
      const issue = new Issue('required');
      issue.path.push(key);
      return issue;
    }
    const value = input[key];
    const result = optional && value === undefined ? value : guard(value);
    if (result instanceof Issue) {
      result.path.unshift(key);
      return result;
    }
    output[key] = result;
  }
  return output;
}

const object = <T>(shape: Shape<T>): Guard => {
  const fields = fieldsOf(shape);
  return (value) => (isRecord(value) ? copyFields(fields, value, {}) : new Issue('expected an object'));
};

const array =
  (item: Guard): Guard =>
  (value) => {
    if (!Array.isArray(value)) return new Issue('expected an array');
    const output: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const result = item(value[i]);
      if (result instanceof Issue) {
        result.path.unshift(i);
        return result;
      }
      output.push(result);
    }
    return output;
  };

const members = array(object<Member>({ client: text(64), 'user?': text(256), 'info?': any }));

/** The fields of every server → client envelope, by `type`. */
const SHAPES: { [K in ServerEnvelopeType]: Shape<Extract<ServerEnvelope, { type: K }>> } = {
  welcome: {
    protocol: literal(1),
    session: text(64),
    heartbeat: count,
    limits: object<Welcome['limits']>({ maxPayload: count, maxSubscriptions: count, 'maxInflight?': count }),
  },
  message: { topic, offset, data: any, ts: finite },
  subscribed: { id: count, topic, offset, recovered: boolean, 'presence?': members },
  unsubscribed: { 'id?': count, topic },
  ack: { id: count, 'offset?': offset },
  reply: { id: count, data: any },
  error: { 'id?': count, code: text(64), message: text(1024), 'retryAfter?': count, 'topic?': topic },
  pong: {},
  presence: { topic, joins: members, leaves: members },
  refresh: { deadline: count },
  broadcast: { data: any, ts: finite },
};

const FIELDS = Object.fromEntries(Object.entries(SHAPES).map(([type, shape]) => [type, fieldsOf(shape)])) as Readonly<
  Record<ServerEnvelopeType, readonly Field[]>
>;

/** `limits.maxPayload`, `joins[1].client`: the path as zod's issues are reported. */
const pathText = (path: readonly (string | number)[]) =>
  path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');

/**
 * Validates an already-parsed server → client envelope, without zod. Same results as the zod
 * schemas: `unknown_type` for a missing or unknown `type`, `invalid` with `<type>.<path>: <reason>`
 * for the first bad field, the request id kept when usable; on success, the schema's keys only.
 */
export function validateServerEnvelope(value: unknown): DecodeResult<ServerEnvelope> {
  const failed = envelopeFailure(value, FIELDS);
  if (failed) return failed;
  const record = value as Record<string, unknown>;
  const type = record.type as ServerEnvelopeType;
  const result = copyFields(FIELDS[type], record, { type });
  if (result instanceof Issue) {
    return decodeFailure('invalid', `${type}${pathText(result.path)}: ${result.reason}`, requestIdOf(record));
  }
  return { ok: true, value: result as ServerEnvelope };
}
