/**
 * @oxidite/protocol — the wire protocol shared by `@oxidite/server` and `@oxidite/client`.
 *
 * Envelope schemas (zod/mini), a codec that never throws on bad input, the close/error code
 * table, typed topic and method maps, stream offsets and the SSE wire format. No I/O and no
 * Node or DOM globals, so it bundles for browsers. The wire format is specified in PROTOCOL.md.
 *
 * @example
 * import { defineTopics, decodeClientEnvelope } from '@oxidite/protocol';
 * const topics = defineTopics({ 'chat:{room}': z.object({ text: z.string() }) });
 * const result = decodeClientEnvelope('{"type":"ping"}'); // { ok: true, value: { type: 'ping' } }
 *
 * @module
 */

// Version and negotiation
export { PROTOCOL_VERSION, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from './version';

// Close and error codes
export { MAX_CLOSE_REASON_BYTES, trimCloseReason } from './close-reason';
export { CloseCode, ErrorCode, isRetryableError, reconnectAdvice } from './codes';
export type { ReconnectAdvice } from './codes';
export { RealtimeError, isRealtimeError } from './errors';
export type { RealtimeErrorOptions } from './errors';

// Envelopes
export {
  AuthSchema,
  ClientEnvelopeSchema,
  PingSchema,
  PublishSchema,
  RpcSchema,
  SubscribeSchema,
  UnsubscribeSchema,
  clientEnvelopeSchemas,
} from './envelopes/client-envelopes';
export type {
  Auth,
  ClientEnvelope,
  ClientEnvelopeType,
  Ping,
  Publish,
  Rpc,
  Subscribe,
  Unsubscribe,
} from './envelopes/client-envelopes';
export {
  AckSchema,
  BroadcastSchema,
  ErrorSchema,
  MessageSchema,
  PongSchema,
  PresenceSchema,
  RefreshSchema,
  ReplySchema,
  ServerEnvelopeSchema,
  SubscribedSchema,
  UnsubscribedSchema,
  WelcomeSchema,
  serverEnvelopeSchemas,
} from './envelopes/server-envelopes';
export type {
  Ack,
  Broadcast,
  ErrorEnvelope,
  Message,
  Pong,
  Presence,
  Refresh,
  Reply,
  ServerEnvelope,
  ServerEnvelopeType,
  Subscribed,
  Unsubscribed,
  Welcome,
} from './envelopes/server-envelopes';
export { MemberSchema, MessageIdSchema, TraceparentSchema } from './envelopes/fields';

// Trace context
export { MAX_TRACEPARENT_LENGTH, formatTraceparent, parseTraceparent } from './trace-context';
export type { TraceParent } from './trace-context';
export { presenceKey } from './envelopes/presence-key';
export type { Member } from './envelopes/fields';

// Codec
export { decodeClientEnvelope, decodeServerEnvelope, encodeEnvelope } from './codec/text-codec';
export {
  decodeClientBinaryFrame,
  decodeServerBinaryFrame,
  encodeBinaryFrame,
} from './codec/binary-codec';
export type { BinaryMessage, BinaryPublish } from './codec/binary-codec';
export { utf8Encode } from './codec/utf8';
export type {
  DecodeError,
  DecodeErrorCode,
  DecodeOptions,
  DecodeResult,
  ServerDecodeOptions,
} from './codec/decode-result';
export { DEFAULT_MAX_DEPTH } from './codec/decode-result';
export { exceedsJsonDepth } from './codec/json-depth';

// Stream offsets
export { compareOffsets, createEpoch, formatOffset, parseOffset } from './offset';
export type { StreamOffset } from './offset';

// Topic and method maps
export { MAX_TOPIC_LENGTH, compileTopicPattern, isValidTopic } from './topics/topic-name';
export type { TopicPattern } from './topics/topic-name';
export { createTopicRegistry, defineTopics } from './topics/topic-map';
export type {
  HistoryOptions,
  PatternToTemplate,
  PresenceOptions,
  PayloadOf,
  PublishInputOf,
  ResolvedTopic,
  TopicDefinition,
  TopicMap,
  TopicName,
  TopicOptions,
  TopicRegistry,
} from './topics/topic-map';
export { defineMethods } from './topics/method-map';
export type { MethodDefinition, MethodInput, MethodMap, MethodOutput } from './topics/method-map';
export { describeIssues, validateWith } from './topics/standard-schema';
export type { StandardSchemaV1, ValidationResult } from './topics/standard-schema';

// Server-Sent Events wire format
export {
  createSseParser,
  formatSseComment,
  formatSseEvent,
  formatSseRetry,
} from './sse/index';
export type { SseEvent, SseEventInit, SseParseError, SseParser, SseParserOptions } from './sse/index';

// Live analytics (hand-written Standard Schema validators: no zod in the browser tracker)
export {
  ANALYTICS_METRICS_TOPIC,
  AnalyticsBatchSchema,
  AnalyticsEventSchema,
  AnalyticsLimit,
  METRICS_WINDOW_MINUTES,
  MetricsSnapshotSchema,
  analyticsTopics,
} from './analytics/index';
export type {
  AnalyticsBatch,
  AnalyticsBatchInput,
  AnalyticsEvent,
  AnalyticsEventInput,
  AnalyticsProperties,
  AnalyticsPropertyValue,
  MetricsSnapshot,
  MinuteCount,
  OxiditeSchema,
} from './analytics/index';

// Notifications: the per-user inbox model, zod-free validators, topic and method maps
export {
  NotificationCountSchema,
  NotificationDeletedSchema,
  NotificationEmptyInputSchema,
  NotificationEventSchema,
  NotificationIdsInputSchema,
  NotificationInputSchema,
  NotificationLimits,
  NotificationListInputSchema,
  NotificationPageSchema,
  NotificationSchema,
  NotificationUpdatedSchema,
  isNotificationId,
  isNotificationUserId,
  notificationMethods,
  notificationTopic,
  notificationTopics,
} from './notifications/index';
export type {
  Notification,
  NotificationCount,
  NotificationDeleted,
  NotificationEmptyInput,
  NotificationEvent,
  NotificationEventKind,
  NotificationIdsInput,
  NotificationInput,
  NotificationListInput,
  NotificationListOptions,
  NotificationMethods,
  NotificationPage,
  NotificationTopic,
  NotificationTopics,
  NotificationUpdated,
} from './notifications/index';
