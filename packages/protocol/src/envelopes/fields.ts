import * as z from 'zod/mini';
import { MAX_TRACEPARENT_LENGTH } from '../trace-context';
import { MAX_TOPIC_LENGTH } from '../topics/topic-name';

/**
 * Field schemas shared by the envelopes. Written with `zod/mini` so the browser client stays
 * small (the `z` namespace of classic zod costs ~94 KB min+gzip; mini a few KB).
 *
 * Every module-level schema here and in the envelope modules is built inside an IIFE marked
 * `@__PURE__`, so a bundler drops it whole when it is unused: a browser client, which decodes
 * server envelopes with the zod-free `codec/server-envelope-guard.ts`, then bundles no zod at all,
 * even from the single-file `dist`. Marking only the outer `z.object(…)` call is not enough:
 * bundlers keep its arguments (`z.maxLength(64)`, …), whose purity they cannot see through zod.
 */

/** Request ids are chosen by the client: non-negative safe integers, unique per connection. */
export const RequestIdSchema = /* @__PURE__ */ (() => z.int().check(z.minimum(0)))();

/**
 * A publish's message id, chosen by the client and unique to it (the reference client sends
 * `<random uuid>:<counter>`): a repeat within the server's dedupe window is acknowledged with the
 * first one's offset and not published again (PROTOCOL.md §4.6).
 */
export const MessageIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_.:-]+$/)))();

/**
 * A W3C `traceparent` on a publish (see `parseTraceparent`). Only the length is checked here: a
 * value the server cannot read is ignored, as the Trace Context spec asks, not an error.
 */
export const TraceparentSchema = /* @__PURE__ */ (() => z.string().check(z.maxLength(MAX_TRACEPARENT_LENGTH)))();

/** A concrete topic name (syntax only; the server's topic map decides if it exists). */
export const TopicSchema = /* @__PURE__ */ (() =>
  z.string().check(z.minLength(1), z.maxLength(MAX_TOPIC_LENGTH), z.regex(/^[A-Za-z0-9_.:@/=+~-]+$/)))();

/** A stream offset in wire form, `<epoch>:<seq>` (see `parseOffset`). */
export const OffsetSchema = /* @__PURE__ */ (() =>
  z.string().check(z.maxLength(50), z.regex(/^[A-Za-z0-9_-]{1,32}:(0|[1-9][0-9]{0,15})$/)))();

/** RPC method names. */
export const MethodSchema = /* @__PURE__ */ (() =>
  z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_.:/-]+$/)))();

/** Tokens are bounded: a JWT of a few KB is normal, megabytes are an attack. */
export const TokenSchema = /* @__PURE__ */ (() => z.string().check(z.minLength(1), z.maxLength(8192)))();

/** Payloads are arbitrary JSON; their shape is checked against the topic's own schema. */
export const DataSchema = /* @__PURE__ */ (() => z.unknown())();

/**
 * A presence member: one user (or, unauthenticated, one connection), with the principal's public
 * info. `client` is the session id of the connection that made the member join.
 */
export const MemberSchema = /* @__PURE__ */ (() =>
  z.object({
    /** The session id of the member's (first) connection: the member itself when anonymous. */
    client: z.string().check(z.maxLength(64)),
    /** The principal's user id, if authenticated. */
    user: z.optional(z.string().check(z.maxLength(256))),
    /** Public info the server chose to share (e.g. a display name). */
    info: z.optional(z.unknown()),
  }))();

/** A presence member. */
export type Member = z.infer<typeof MemberSchema>;
