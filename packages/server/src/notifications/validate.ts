import { ErrorCode, isNotificationUserId, RealtimeError, type StandardSchemaV1, validateWith } from '@oxidite/protocol';

/**
 * Validates `value` with `schema` and returns the output.
 * @throws RealtimeError `invalid` naming `what` and the first issues.
 */
export async function parseWith<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  what: string,
): Promise<StandardSchemaV1.InferOutput<S>> {
  const result = await validateWith(schema, value);
  if (!result.ok) throw new RealtimeError(ErrorCode.INVALID, `invalid ${what}: ${result.message}`);
  return result.value;
}

/**
 * Checks a user id: `notifications:{userId}` must be a valid topic.
 * @throws RealtimeError `invalid` otherwise.
 */
export function checkUserId(userId: string): string {
  if (!isNotificationUserId(userId)) {
    throw new RealtimeError(ErrorCode.INVALID, 'invalid user id: expected 1–128 characters of [A-Za-z0-9_.@=+~-]');
  }
  return userId;
}
