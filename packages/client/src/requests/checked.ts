import {
  ErrorCode,
  RealtimeError,
  type StandardSchemaV1,
  type ValidationResult,
  validateWith,
} from '@oxidite/protocol';

/**
 * Validates `data` with a Standard Schema, then continues with the validated value; rejects with
 * `invalid` before anything is sent. A synchronous validator keeps the call synchronous, so
 * requests leave in the order they were made.
 */
export function checked<R>(
  schema: StandardSchemaV1,
  data: unknown,
  what: string,
  next: (value: unknown) => R | Promise<R>,
): Promise<R> {
  const proceed = (result: ValidationResult<unknown>): R | Promise<R> => {
    if (!result.ok) throw new RealtimeError(ErrorCode.INVALID, `invalid ${what}: ${result.message}`);
    return next(result.value);
  };
  try {
    const result = validateWith(schema, data);
    return result instanceof Promise ? result.then(proceed) : Promise.resolve(proceed(result));
  } catch (error) {
    return Promise.reject(error);
  }
}
