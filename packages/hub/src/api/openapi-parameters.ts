import { HUB_MAX_TOPIC_LENGTH } from './topic-name';

/** Parameters and field schemas the OpenAPI document (openapi.ts) shares between operations. */

/** PROTOCOL.md §3.1's alphabet, at most the hub's 200 characters (HUB_MAX_TOPIC_LENGTH). */
export const topicName = {
  type: 'string',
  minLength: 1,
  maxLength: HUB_MAX_TOPIC_LENGTH,
  pattern: '^[A-Za-z0-9_.:@/=+~-]+$',
};
export const topicQuery = { name: 'topic', in: 'query', required: true, schema: topicName };
/** Integers in a query are decimal, written plainly: no sign, exponent, hex, spaces or leading zeros. */
export const intQuery = (name: string, maximum: number, fallback: number) => ({
  name,
  in: 'query',
  description: 'A decimal integer (no sign, exponent, hex, spaces or leading zeros)',
  schema: { type: 'integer', minimum: 1, maximum, default: fallback },
});
/** A user id as the SDK's notification service takes it (it answers 400 `invalid` otherwise). */
export const inboxUserPath = {
  name: 'user',
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.@=+~-]+$' },
};
export const idempotencyKey = { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' };
/** Any principal id (a JWT `sub` may hold characters an inbox id may not). */
export const userPath = {
  name: 'user',
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 256 },
};
