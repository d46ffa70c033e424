import type { StandardSchemaV1 } from '@standard-schema/spec';
import { exceedsJsonDepth } from '../codec/json-depth';

/**
 * A tiny hand-written validator kit for the notification schemas, so the browser client can
 * validate notification events and replies without bundling zod. Each guard checks a value at a
 * path, pushes an issue when it fails, and returns the output value (meaningless once an issue was
 * pushed). `createSchema` wraps a guard as a Standard Schema v1 validator.
 */

type Issues = StandardSchemaV1.Issue[];
type Path = readonly PropertyKey[];

/** Checks `value` found at `path`; on failure pushes to `issues`. Returns the output value. */
export type Guard<T> = (value: unknown, path: Path, issues: Issues) => T;

/** The field guards of an object type: one per key, optional keys included. */
export type Shape<T> = { readonly [K in keyof T]-?: Guard<T[K]> };

function fail<T>(issues: Issues, path: Path, message: string): T {
  issues.push({ message, path: [...path] });
  return undefined as T;
}

/** Wraps a guard as a Standard Schema v1 validator (vendor `oxidite`, synchronous). */
export function createSchema<Input, Output = Input>(guard: Guard<Output>): StandardSchemaV1<Input, Output> {
  return {
    '~standard': {
      version: 1,
      vendor: 'oxidite',
      validate(value) {
        const issues: Issues = [];
        const output = guard(value, [], issues);
        return issues.length > 0 ? { issues } : { value: output };
      },
    },
  };
}

// A NUL or a lone surrogate cannot be stored as text by PostgreSQL (nor encoded as UTF-8 losslessly).
const ILL_FORMED = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Options of {@link text}. */
export interface TextOptions {
  /** Fewest UTF-16 code units. */
  readonly min: number;
  /** Most UTF-16 code units. */
  readonly max: number;
  /** A pattern the whole string must match, with a description for the issue message. */
  readonly pattern?: { readonly re: RegExp; readonly expected: string };
}

/** A well-formed string (no NUL, no lone surrogate) of `min`–`max` code units. */
export function text({ min, max, pattern }: TextOptions): Guard<string> {
  return (value, path, issues) => {
    if (typeof value !== 'string') return fail(issues, path, 'expected a string');
    if (value.length < min) return fail(issues, path, `expected at least ${min} characters`);
    if (value.length > max) return fail(issues, path, `expected at most ${max} characters`);
    if (pattern && !pattern.re.test(value)) return fail(issues, path, `expected ${pattern.expected}`);
    if (ILL_FORMED.test(value)) return fail(issues, path, 'expected text without NUL or lone surrogates');
    return value;
  };
}

/** A safe integer in `[min, max]`. */
export function integer(min: number, max: number): Guard<number> {
  return (value, path, issues) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? (value as number)
      : fail(issues, path, `expected an integer from ${min} to ${max}`);
}

/** A boolean. */
export const boolean: Guard<boolean> = (value, path, issues) =>
  typeof value === 'boolean' ? value : fail(issues, path, 'expected a boolean');

/** An array of at most `max` items, each checked by `item`. */
export function array<T>(item: Guard<T>, max: number): Guard<T[]> {
  return (value, path, issues) => {
    if (!Array.isArray(value)) return fail(issues, path, 'expected an array');
    if (value.length > max) return fail(issues, path, `expected at most ${max} items`);
    return value.map((entry, index) => item(entry, [...path, index], issues));
  };
}

/** `undefined` passes as `undefined` (the key is left out of the output object). */
export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (value, path, issues) => (value === undefined ? undefined : guard(value, path, issues));
}

/** `undefined` becomes `fallback`. */
export function withDefault<T>(guard: Guard<T>, fallback: T): Guard<T> {
  return (value, path, issues) => (value === undefined ? fallback : guard(value, path, issues));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A plain object checked key by key. Like zod's objects, the output holds only the shape's keys
 * (unknown keys are stripped) and leaves out keys whose output is `undefined`.
 */
export function object<T>(shape: Shape<T>): Guard<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value, path, issues) => {
    if (!isRecord(value)) return fail(issues, path, 'expected an object');
    const output: Partial<T> = {};
    for (const key of keys) {
      const field = shape[key](value[key], [...path, key], issues);
      if (field !== undefined) output[key] = field;
    }
    return output as T;
  };
}

/** Like {@link object}, and a missing (`undefined` or `null`) value counts as `{}`. */
export function objectOrEmpty<T>(shape: Shape<T>): Guard<T> {
  const guard = object(shape);
  return (value, path, issues) => guard(value ?? {}, path, issues);
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
  return (value, path, issues) => {
    if (!isRecord(value)) return fail(issues, path, 'expected an object');
    const kind = value.kind as T['kind'];
    if (typeof kind !== 'string' || !kinds.includes(kind)) {
      return fail(issues, [...path, 'kind'], `expected one of ${kinds.join(', ')}`);
    }
    const rest = variants[kind](value, path, issues);
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
  return (value, path, issues) => {
    let serialized: string | undefined;
    try {
      serialized = JSON.stringify(value);
    } catch {
      return fail(issues, path, 'expected JSON-serializable data (no cycles, no BigInt)');
    }
    if (serialized === undefined) return fail(issues, path, 'expected JSON-serializable data');
    if (serialized.length > maxLength) return fail(issues, path, `expected at most ${maxLength} characters of JSON`);
    if (exceedsJsonDepth(serialized, maxDepth)) return fail(issues, path, `expected at most ${maxDepth} levels`);
    return JSON.parse(serialized) as unknown;
  };
}
