import type { StandardSchemaV1 } from '@standard-schema/spec';
import { exceedsJsonDepth } from '../codec/json-depth';

/**
 * The protocol's one validator kit, used wherever a value must be checked without zod: the server →
 * client envelopes (decoded by every browser client), notifications and analytics. Guards compose
 * like zod's (`object`, `array`, `optional`, …) and, like zod objects, return a fresh value holding
 * only the declared keys. A failing guard pushes an issue with an empty path; each enclosing
 * `object`/`array` prefixes its key on the way out, so a value that passes allocates no paths at
 * all (this runs on every delivered message).
 */

/** One problem found: a message and where (`['events', 3, 'type']`). Paths fill in on the way out. */
export interface Issue extends StandardSchemaV1.Issue {
  readonly path: PropertyKey[];
}

/** Where guards push the issues they find. */
export type Issues = Issue[];

/**
 * Checks `value`; on failure pushes to `issues`. Returns the output value, which is meaningless
 * once an issue was pushed.
 */
export type Guard<T> = (value: unknown, issues: Issues) => T;

/** The field guards of an object type: one per key, optional keys included (wrap them in `optional`). */
export type Shape<T> = { readonly [K in keyof T]-?: Guard<T[K]> };

/** Pushes one issue; returns `undefined` typed as anything, so guards can `return fail(…)`. */
export function fail<T>(issues: Issues, message: string): T {
  issues.push({ message, path: [] });
  return undefined as T;
}

/** Prefixes `key` to the paths of the issues pushed since `from`. */
function prefix(issues: Issues, from: number, key: PropertyKey): void {
  for (let i = from; i < issues.length; i++) issues[i]!.path.unshift(key);
}

/** Runs `guard` on a child value and prefixes `key` to the paths of the issues it pushed. */
function child<T>(guard: Guard<T>, value: unknown, key: PropertyKey, issues: Issues): T {
  const before = issues.length;
  const output = guard(value, issues);
  prefix(issues, before, key);
  return output;
}

/** The Standard Schema properties of an Oxidite validator: always synchronous. */
interface OxiditeSchemaProps<Input, Output> extends StandardSchemaV1.Props<Input, Output> {
  readonly vendor: 'oxidite';
  /** Validates `value`; never throws and never returns a promise. */
  readonly validate: (value: unknown) => StandardSchemaV1.Result<Output>;
}

/** A Standard Schema v1 validator whose `validate` is synchronous (vendor `oxidite`). */
export interface OxiditeSchema<Input, Output = Input> extends StandardSchemaV1<Input, Output> {
  readonly '~standard': OxiditeSchemaProps<Input, Output>;
}

/** Wraps a guard as a Standard Schema v1 validator. */
export function createSchema<Input, Output = Input>(guard: Guard<Output>): OxiditeSchema<Input, Output> {
  return {
    '~standard': {
      version: 1,
      vendor: 'oxidite',
      validate(value) {
        const issues: Issues = [];
        const output = guard(value, issues);
        return issues.length > 0 ? { issues } : { value: output };
      },
    },
  };
}

// A NUL or a lone surrogate cannot be stored as text by PostgreSQL (nor encoded as UTF-8 losslessly).
const ILL_FORMED = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Options of {@link text}. */
export interface TextOptions {
  /** Most UTF-16 code units. */
  readonly max: number;
  /** A test the whole string must pass (a `RegExp`, or any `test` function), described for the issue message. */
  readonly pattern?: { readonly re: { test(value: string): boolean }; readonly expected: string } | undefined;
}

/** A string of at most `max` UTF-16 code units (wrap it in {@link nonEmpty} for a minimum). */
export function text({ max, pattern }: TextOptions): Guard<string> {
  return (value, issues) => {
    if (typeof value !== 'string') return fail(issues, 'expected a string');
    if (value.length > max) return fail(issues, `expected at most ${max} characters`);
    if (pattern && !pattern.re.test(value)) return fail(issues, `expected ${pattern.expected}`);
    return value;
  };
}

/** A string `guard` accepts that is not empty. */
export function nonEmpty(guard: Guard<string>): Guard<string> {
  return (value, issues) => (value === '' ? fail(issues, 'expected at least 1 character') : guard(value, issues));
}

/** Like {@link text}, and refuses a NUL or a lone surrogate: text that a durable store keeps. */
export function storedText(options: TextOptions): Guard<string> {
  const guard = text(options);
  return (value, issues) => {
    const before = issues.length;
    const output = guard(value, issues);
    if (issues.length > before) return output;
    return ILL_FORMED.test(output) ? fail(issues, 'expected text without NUL or lone surrogates') : output;
  };
}

/** A non-negative safe integer: a request id, an offset's sequence, a count. */
export const count: Guard<number> = (value, issues) =>
  Number.isSafeInteger(value) && (value as number) >= 0
    ? (value as number)
    : fail(issues, 'expected a non-negative integer');

/** A safe integer in `[min, max]`. */
export function integer(min: number, max: number): Guard<number> {
  return (value, issues) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? (value as number)
      : fail(issues, `expected an integer from ${min} to ${max}`);
}

/** A finite number: not NaN, not ±Infinity (zod's `z.number()`). */
export const finite: Guard<number> = (value, issues) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail(issues, 'expected a finite number');

/** A finite number `>= min`. */
export function atLeast(min: number): Guard<number> {
  return (value, issues) => {
    const before = issues.length;
    const number = finite(value, issues);
    return issues.length > before || number >= min ? number : fail(issues, `expected a number ≥ ${min}`);
  };
}

/** `true` or `false`: no truthy coercion, unlike a form field. */
export const boolean: Guard<boolean> = (value, issues) =>
  typeof value === 'boolean' ? value : fail(issues, 'expected a boolean');

/** Exactly `expected`. */
export function literal<const T extends string | number | boolean>(expected: T): Guard<T> {
  return (value, issues) => (value === expected ? expected : fail(issues, `expected ${String(expected)}`));
}

/** Any value, passed through as is; in an {@link object}, the key must still be present unless optional. */
export const unknown: Guard<unknown> = (value) => value;

/** An array, each item checked by `item`. */
export function array<T>(item: Guard<T>): Guard<T[]> {
  return (value, issues) => {
    if (!Array.isArray(value)) return fail(issues, 'expected an array');
    const output: T[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) output[i] = child(item, value[i], i, issues);
    return output;
  };
}

/** Like {@link array}, with `min`–`max` items (checked first, so an oversized array costs nothing). */
export function list<T>(item: Guard<T>, min: number, max: number): Guard<T[]> {
  const guard = array(item);
  return (value, issues) =>
    Array.isArray(value) && (value.length < min || value.length > max)
      ? fail(issues, min === max ? `expected ${min} items` : `expected ${min} to ${max} items`)
      : guard(value, issues);
}

/** The guards whose key an {@link object} may miss: made by `optional` and `withDefault`. */
const MAY_BE_ABSENT = /* @__PURE__ */ new WeakSet<Guard<unknown>>();

function mayBeAbsent<T>(guard: Guard<T>): Guard<T> {
  MAY_BE_ABSENT.add(guard);
  return guard;
}

/** `undefined` passes as `undefined` (an absent key stays absent in the output object). */
export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return mayBeAbsent((value, issues) => (value === undefined ? undefined : guard(value, issues)));
}

/** `undefined` becomes `fallback`. */
export function withDefault<T>(guard: Guard<T>, fallback: T): Guard<T> {
  return mayBeAbsent((value, issues) => (value === undefined ? fallback : guard(value, issues)));
}

/** Whether `value` is an object but not an array: the cheap check of {@link object}, whose output is a fresh plain object anyway. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a JSON object: not null, not an array, no class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Copies the fields of `shape` from `value` into `output`, checking each, in the shape's order (so
 * the first issue is the one zod reports first); `output` may be `value` itself, to check it in
 * place (nested guards still return copies, which then replace their fields). A key missing from
 * `value` is `required` unless its guard is `optional` or `withDefault`; keys absent from `value`
 * whose output is `undefined` stay absent. The core of {@link object}, for callers that start the output themselves.
 */
export function fieldsOf<T>(
  shape: Shape<T>,
): (value: Record<string, unknown>, output: Record<string, unknown>, issues: Issues) => void {
  // Parallel arrays and an indexed loop: this runs for every envelope a client receives.
  const keys = Object.keys(shape);
  const guards = Object.values(shape) as Guard<unknown>[];
  // Looked up once here rather than in the WeakSet for every field of every message.
  const isRequired = guards.map((guard) => !MAY_BE_ABSENT.has(guard));
  return (value, output, issues) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const guard = guards[i]!;
      const raw = value[key];
      // One property read for a key that is there (most); `in` only to tell an absent key apart.
      const present = raw !== undefined || key in value;
      if (!present && isRequired[i]) {
        issues.push({ message: 'required', path: [key] });
        continue;
      }
      const before = issues.length;
      const field = guard(raw, issues);
      if (issues.length > before) prefix(issues, before, key);
      // Checked in place (`output` is `value`), a field that passed as it is needs no store: a
      // store under a varying key is the dearest step of the loop. Like zod, an optional key
      // given as `undefined` stays (only possible off the wire).
      else if ((field !== raw || output !== value) && (field !== undefined || present)) output[key] = field;
    }
  };
}

/** A plain object checked key by key (see {@link fieldsOf}); the output holds only the shape's keys. */
export function object<T>(shape: Shape<T>): Guard<T> {
  const copy = fieldsOf(shape);
  return (value, issues) => {
    if (!isRecord(value)) return fail(issues, 'expected an object');
    const output: Record<string, unknown> = {};
    copy(value, output, issues);
    return output as T;
  };
}

/** Like {@link object}, and a missing (`undefined` or `null`) value counts as `{}`. */
export function objectOrEmpty<T>(shape: Shape<T>): Guard<T> {
  const guard = object(shape);
  return (value, issues) => guard(value ?? {}, issues);
}

/** Options of {@link record}. */
export interface RecordOptions {
  /** Most keys. @default unbounded */
  readonly maxKeys?: number | undefined;
  /** The check of each key. @default any string */
  readonly key?: Guard<string> | undefined;
}

/** A plain object with any keys, each value checked by `item`. A `__proto__` key stays a plain key. */
export function record<T>(
  item: Guard<T>,
  { maxKeys = Number.POSITIVE_INFINITY, key }: RecordOptions = {},
): Guard<Record<string, T>> {
  return (value, issues) => {
    if (!isPlainObject(value)) return fail(issues, 'expected an object');
    const keys = Object.keys(value);
    if (keys.length > maxKeys) return fail(issues, `expected at most ${maxKeys} keys`);
    const entries: [string, T][] = [];
    for (const name of keys) {
      if (key) child(key, name, name, issues);
      entries.push([name, child(item, value[name], name, issues)]);
    }
    return Object.fromEntries(entries);
  };
}

/**
 * A union discriminated by `kind`: `variants` maps each kind to the guard of the other fields.
 * The output starts with `kind`.
 */
export function discriminated<T extends { readonly kind: string }>(
  variants: {
    readonly [K in T['kind']]: Guard<Omit<Extract<T, { readonly kind: K }>, 'kind'>>;
  },
): Guard<T> {
  const kinds = Object.keys(variants) as T['kind'][];
  return (value, issues) => {
    if (!isPlainObject(value)) return fail(issues, 'expected an object');
    const kind = value.kind as T['kind'];
    if (typeof kind !== 'string' || !kinds.includes(kind)) {
      return child(() => fail(issues, `expected one of ${kinds.join(', ')}`), kind, 'kind', issues);
    }
    const rest = variants[kind](value, issues);
    return { kind, ...rest } as unknown as T;
  };
}

/** Options of {@link json}. */
export interface JsonOptions {
  /** Longest serialized JSON, in UTF-16 code units. */
  readonly maxLength: number;
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
}

/**
 * Any JSON-serializable value within bounds. The output is its JSON round trip (`Date` becomes a
 * string, `undefined` fields vanish), i.e. exactly what a durable store and a subscriber will see.
 */
export function json({ maxLength, maxDepth }: JsonOptions): Guard<unknown> {
  return (value, issues) => {
    let serialized: string | undefined;
    try {
      serialized = JSON.stringify(value);
    } catch {
      return fail(issues, 'expected JSON-serializable data (no cycles, no BigInt)');
    }
    if (serialized === undefined) return fail(issues, 'expected JSON-serializable data');
    if (serialized.length > maxLength) return fail(issues, `expected at most ${maxLength} characters of JSON`);
    if (exceedsJsonDepth(serialized, maxDepth)) return fail(issues, `expected at most ${maxDepth} levels`);
    return JSON.parse(serialized) as unknown;
  };
}
