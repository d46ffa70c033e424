import * as z from 'zod/mini';
import { MAX_TOPIC_LENGTH } from '../topics/topic-name';

/**
 * Field schemas shared by the envelopes. Written with `zod/mini` so the browser client stays
 * small (the `z` namespace of classic zod costs ~94 KB min+gzip; mini a few KB).
 */

/** Request ids are chosen by the client: non-negative safe integers, unique per connection. */
export const RequestIdSchema = z.int().check(z.minimum(0));

/** A concrete topic name (syntax only; the server's topic map decides if it exists). */
export const TopicSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(MAX_TOPIC_LENGTH), z.regex(/^[A-Za-z0-9_.:@/=+~-]+$/));

/** A stream offset in wire form, `<epoch>:<seq>` (see `parseOffset`). */
export const OffsetSchema = z.string().check(z.maxLength(50), z.regex(/^[A-Za-z0-9_-]{1,32}:(0|[1-9][0-9]{0,15})$/));

/** RPC method names. */
export const MethodSchema = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_.:/-]+$/));

/** Tokens are bounded: a JWT of a few KB is normal, megabytes are an attack. */
export const TokenSchema = z.string().check(z.minLength(1), z.maxLength(8192));

/** Payloads are arbitrary JSON; their shape is checked against the topic's own schema. */
export const DataSchema = z.unknown();

/** A presence member: one connection, with the principal's public info. */
export const MemberSchema = z.object({
  /** The connection's session id. */
  client: z.string().check(z.maxLength(64)),
  /** The principal's user id, if authenticated. */
  user: z.optional(z.string().check(z.maxLength(256))),
  /** Public info the server chose to share (e.g. a display name). */
  info: z.optional(z.unknown()),
});

/** A presence member. */
export type Member = z.infer<typeof MemberSchema>;
