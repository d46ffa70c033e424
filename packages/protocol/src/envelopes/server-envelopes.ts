import * as z from 'zod/mini';
import { DataSchema, MemberSchema, OffsetSchema, RequestIdSchema, TopicSchema } from './fields';

const Count = /* @__PURE__ */ (() => z.int().check(z.minimum(0)))();

/** `welcome`: first frame of every connection. */
export const WelcomeSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('welcome'),
    /** Protocol version the server speaks. */
    protocol: z.literal(1),
    /** This connection's session id (also its presence `client` id). */
    session: z.string().check(z.maxLength(64)),
    /** Interval in ms at which the client should `ping` (0: no app-level heartbeat). */
    heartbeat: Count,
    /** Limits the client must respect. */
    limits: z.object({
      /** Largest text frame the server accepts, in bytes. */
      maxPayload: Count,
      /**
       * Largest binary frame (a binary `publish`) the server accepts, in bytes: a larger one closes
       * the connection with 1009. Absent from servers before it existed.
       */
      maxBinaryPayload: z.optional(Count),
      /** Most topics one connection may subscribe to. */
      maxSubscriptions: Count,
      /**
       * Most requests in progress per connection: a client keeps its own requests in flight at or
       * below it (the server slows a faster sender down). Absent from servers before it existed.
       */
      maxInflight: z.optional(Count),
    }),
  }))();

/** `message`: one message of a topic's stream. */
export const MessageSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('message'),
    topic: TopicSchema,
    offset: OffsetSchema,
    data: DataSchema,
    /** Publish time, ms since the Unix epoch. */
    ts: z.number(),
  }))();

/** `subscribed`: a subscription is live. `recovered` is false when `since` fell outside history. */
export const SubscribedSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('subscribed'),
    id: RequestIdSchema,
    topic: TopicSchema,
    /** The stream position at subscribe time (after any replayed messages). */
    offset: OffsetSchema,
    /** True when every message after `since` was (or will be, before live ones) delivered. */
    recovered: z.boolean(),
    /** Current members, when the topic has presence enabled. */
    presence: z.optional(z.array(MemberSchema)),
  }))();

/** `unsubscribed`: confirms an `unsubscribe`, or tells the client it was unsubscribed. */
export const UnsubscribedSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('unsubscribed'),
    id: z.optional(RequestIdSchema),
    topic: TopicSchema,
  }))();

/** `ack`: a `publish` (with `offset`) or `auth` succeeded. */
export const AckSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('ack'),
    id: RequestIdSchema,
    offset: z.optional(OffsetSchema),
  }))();

/** `reply`: the result of an `rpc`. */
export const ReplySchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('reply'),
    id: RequestIdSchema,
    data: DataSchema,
  }))();

/** `error`: a request failed (with its `id`), or a connection-level problem (without). */
export const ErrorSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('error'),
    id: z.optional(RequestIdSchema),
    code: z.string().check(z.maxLength(64)),
    message: z.string().check(z.maxLength(1024)),
    /** For `rate_limited`: ms until a retry can succeed. */
    retryAfter: z.optional(Count),
    /** The topic concerned, when there is one. */
    topic: z.optional(TopicSchema),
  }))();

/** `pong`: answer to `ping`. */
export const PongSchema = /* @__PURE__ */ (() => z.object({ type: z.literal('pong') }))();

/** `presence`: members joined or left a topic. */
export const PresenceSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('presence'),
    topic: TopicSchema,
    joins: z.array(MemberSchema),
    leaves: z.array(MemberSchema),
  }))();

/** `refresh`: the token expires; send `auth` with a fresh one within `deadline` ms or be closed 4401. */
export const RefreshSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('refresh'),
    deadline: Count,
  }))();

/** `broadcast`: a server announcement to every connection, subscribed or not (no history). */
export const BroadcastSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.literal('broadcast'),
    data: DataSchema,
    ts: z.number(),
  }))();

/** Server → client envelope schemas by `type`. */
export const serverEnvelopeSchemas = {
  welcome: WelcomeSchema,
  message: MessageSchema,
  subscribed: SubscribedSchema,
  unsubscribed: UnsubscribedSchema,
  ack: AckSchema,
  reply: ReplySchema,
  error: ErrorSchema,
  pong: PongSchema,
  presence: PresenceSchema,
  refresh: RefreshSchema,
  broadcast: BroadcastSchema,
} as const;

/** Any server → client envelope, discriminated on `type`. */
export const ServerEnvelopeSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('type', [
    WelcomeSchema,
    MessageSchema,
    SubscribedSchema,
    UnsubscribedSchema,
    AckSchema,
    ReplySchema,
    ErrorSchema,
    PongSchema,
    PresenceSchema,
    RefreshSchema,
    BroadcastSchema,
  ]))();

export type Welcome = z.infer<typeof WelcomeSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type Subscribed = z.infer<typeof SubscribedSchema>;
export type Unsubscribed = z.infer<typeof UnsubscribedSchema>;
export type Ack = z.infer<typeof AckSchema>;
export type Reply = z.infer<typeof ReplySchema>;
export type ErrorEnvelope = z.infer<typeof ErrorSchema>;
export type Pong = z.infer<typeof PongSchema>;
export type Presence = z.infer<typeof PresenceSchema>;
export type Refresh = z.infer<typeof RefreshSchema>;
export type Broadcast = z.infer<typeof BroadcastSchema>;
/** Any server → client envelope. */
export type ServerEnvelope = z.infer<typeof ServerEnvelopeSchema>;
/** The `type` of a server → client envelope. */
export type ServerEnvelopeType = keyof typeof serverEnvelopeSchemas;
