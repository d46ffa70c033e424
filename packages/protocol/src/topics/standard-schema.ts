import type { StandardSchemaV1 } from '@standard-schema/spec';

export type { StandardSchemaV1 };

/** Result of validating a value against a Standard Schema. */
export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string; readonly issues: readonly StandardSchemaV1.Issue[] };

function formatPath(path: StandardSchemaV1.Issue['path']): string {
  if (!path || path.length === 0) return '';
  return path
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
}

/** One line describing the first issues, with their paths (e.g. `text: Too big`). */
export function describeIssues(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = formatPath(issue.path);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function toResult<T>(result: StandardSchemaV1.Result<T>): ValidationResult<T> {
  if (result.issues) return { ok: false, message: describeIssues(result.issues), issues: result.issues };
  return { ok: true, value: result.value };
}

/**
 * Validates `value` with any Standard Schema v1 validator (zod, valibot, arktype…).
 * Returns synchronously when the validator does; a validator that throws is reported as a failure.
 */
export function validateWith<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
): ValidationResult<StandardSchemaV1.InferOutput<S>> | Promise<ValidationResult<StandardSchemaV1.InferOutput<S>>> {
  try {
    const result = schema['~standard'].validate(value) as
      | StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>
      | Promise<StandardSchemaV1.Result<StandardSchemaV1.InferOutput<S>>>;
    // Any thenable, not only this realm's Promise: another realm's (or a library's) promise
    // would otherwise be read as a sync result without `issues`, i.e. as a success.
    if (isThenable(result)) {
      return Promise.resolve(result).then(toResult, (error: unknown) => failure(error));
    }
    return toResult(result);
  } catch (error) {
    return failure(error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function failure(error: unknown): ValidationResult<never> {
  const message = error instanceof Error ? error.message : 'validator threw';
  return { ok: false, message, issues: [{ message }] };
}
