/**
 * The few building blocks of the hand-written analytics validators. The browser tracker imports
 * these schemas, so they carry no zod: each validator is a plain function that pushes Standard
 * Schema issues (message + path) and returns a fresh value holding only the declared fields.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** The Standard Schema properties of an Oxidite validator: always synchronous. */
export interface OxiditeSchemaProps<Input, Output> extends StandardSchemaV1.Props<Input, Output> {
  readonly vendor: 'oxidite';
  /** Validates `value`; never throws and never returns a promise. */
  readonly validate: (value: unknown) => StandardSchemaV1.Result<Output>;
}

/** A Standard Schema v1 validator whose `validate` is synchronous. */
export interface OxiditeSchema<Input, Output = Input> extends StandardSchemaV1<Input, Output> {
  readonly '~standard': OxiditeSchemaProps<Input, Output>;
}

/** A path into the validated value, e.g. `['events', 3, 'type']`. */
export type IssuePath = readonly (string | number)[];

/** Collects issues while a validator walks a value. */
export type IssueSink = StandardSchemaV1.Issue[];

/** Checks `value` at `path`, pushing issues; returns the cleaned value, or undefined when invalid. */
export type Check<T> = (value: unknown, path: IssuePath, issues: IssueSink) => T | undefined;

/** Wraps a {@link Check} as a Standard Schema v1 validator. */
export function createSchema<Input, Output = Input>(check: Check<Output>): OxiditeSchema<Input, Output> {
  return {
    '~standard': {
      version: 1,
      vendor: 'oxidite',
      validate(value) {
        const issues: IssueSink = [];
        const output = check(value, [], issues);
        if (issues.length > 0 || output === undefined) {
          return { issues: issues.length > 0 ? issues : [{ message: 'Invalid value' }] };
        }
        return { value: output };
      },
    },
  };
}

/** Whether `value` is a plain object (a JSON object): not null, not an array, no class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Pushes one issue; returns undefined so checks can `return fail(…)`. */
export function fail(issues: IssueSink, path: IssuePath, message: string): undefined {
  issues.push({ message, path: [...path] });
  return undefined;
}

/** A string of `min`–`max` UTF-16 code units. */
export function checkString(
  value: unknown,
  path: IssuePath,
  issues: IssueSink,
  min: number,
  max: number,
): string | undefined {
  if (typeof value !== 'string') return fail(issues, path, 'Expected a string');
  if (value.length < min) {
    return fail(issues, path, min === 1 ? 'Expected a non-empty string' : `Too short: at least ${min} characters`);
  }
  if (value.length > max) return fail(issues, path, `Too long: at most ${max} characters`);
  return value;
}

/** A finite number, `>= min`, and an integer when `isInteger`. */
export function checkNumber(
  value: unknown,
  path: IssuePath,
  issues: IssueSink,
  min: number,
  isInteger: boolean,
): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(issues, path, 'Expected a finite number');
  if (isInteger && !Number.isInteger(value)) return fail(issues, path, 'Expected an integer');
  if (value < min) return fail(issues, path, `Too small: at least ${min}`);
  return value;
}
