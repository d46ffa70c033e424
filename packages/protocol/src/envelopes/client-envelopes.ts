import * as z from 'zod/mini';
import {
  DataSchema,
  MessageIdSchema,
  MethodSchema,
  OffsetSchema,
  RequestIdSchema,
  TokenSchema,
  TopicSchema,
  TraceparentSchema,
} from './fields';

/**
 * `subscribe`: start receiving a topic. `since` recovers everything after that offset; without
 * it, `rewind` asks for up to that many of the most recent messages first (e.g. chat history).
 */
export const SubscribeSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('subscribe'),
    id: RequestIdSchema,
    topic: TopicSchema,
    since: z.optional(OffsetSchema),
    rewind: z.optional(z.int().check(z.minimum(0), z.maximum(10_000))),
  }))();

/** `unsubscribe`: stop receiving a topic. */
export const UnsubscribeSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('unsubscribe'),
    id: RequestIdSchema,
    topic: TopicSchema,
  }))();

/**
 * `publish`: send `data` to a topic; an `id` asks for an `ack` (or an `error`). A `messageId`
 * makes retries safe: the server publishes one message per id within its dedupe window. A
 * `traceparent` (W3C Trace Context) continues the publisher's trace on the server.
 */
export const PublishSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('publish'),
    id: z.optional(RequestIdSchema),
    topic: TopicSchema,
    data: DataSchema,
    messageId: z.optional(MessageIdSchema),
    traceparent: z.optional(TraceparentSchema),
  }))();

/** `rpc`: call a server method; answered by `reply` or `error` with the same `id`. */
export const RpcSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('rpc'),
    id: RequestIdSchema,
    method: MethodSchema,
    data: DataSchema,
  }))();

/** `ping`: application-level heartbeat; answered by `pong`. */
export const PingSchema = /* @__PURE__ */ (() => z.object({ type: z.literal('ping') }))();

/** `auth`: a fresh token for a live connection; answered by `ack` or `error`. */
export const AuthSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('auth'),
    id: RequestIdSchema,
    token: TokenSchema,
  }))();

/** Client → server envelope schemas by `type`. */
export const clientEnvelopeSchemas = {
  subscribe: SubscribeSchema,
  unsubscribe: UnsubscribeSchema,
  publish: PublishSchema,
  rpc: RpcSchema,
  ping: PingSchema,
  auth: AuthSchema,
} as const;

/** Any client → server envelope, discriminated on `type`. */
export const ClientEnvelopeSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('type', [
    SubscribeSchema,
    UnsubscribeSchema,
    PublishSchema,
    RpcSchema,
    PingSchema,
    AuthSchema,
  ]))();

export type Subscribe = z.infer<typeof SubscribeSchema>;
export type Unsubscribe = z.infer<typeof UnsubscribeSchema>;
export type Publish = z.infer<typeof PublishSchema>;
export type Rpc = z.infer<typeof RpcSchema>;
export type Ping = z.infer<typeof PingSchema>;
export type Auth = z.infer<typeof AuthSchema>;
/** Any client → server envelope. */
export type ClientEnvelope = z.infer<typeof ClientEnvelopeSchema>;
/** The `type` of a client → server envelope. */
export type ClientEnvelopeType = keyof typeof clientEnvelopeSchemas;
