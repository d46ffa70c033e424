/**
 * @oxidite/server — real-time for Node backends: WebSockets (on `ws`) and Server-Sent Events,
 * topic pub/sub with history and gap-free recovery, presence, RPC, and security by default.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createRealtimeServer } from '@oxidite/server';
 * import { defineTopics } from '@oxidite/protocol';
 * import * as z from 'zod';
 *
 * const topics = defineTopics({ 'chat:{room}': { schema: z.object({ text: z.string().max(2000) }), presence: true } });
 * const rt = createRealtimeServer({ topics });
 * const http = createServer(app);
 * rt.attach(http); // WebSocket upgrades on /ws
 * http.listen(3000);
 * await rt.publish('chat:lobby', { text: 'hello' });
 *
 * @module
 */

// Server
export { createRealtimeServer } from './server';
export type { DisconnectOptions, NodeHandler, RealtimeRequestHandler, RealtimeServer } from './server';
export { DEFAULT_HEADERS_TIMEOUT, DEFAULT_LISTEN_BACKLOG, type ListenOptions } from './listen-options';
export type { ServerPublishOptions, ServerPublishResult } from './hub';
export type { RealtimeServerOptions } from './options';
export type { RealtimeServerEvents } from './events';
export type { CloseInfo, SubscribeInfo, UnsubscribeInfo } from './hub';

// Server-Sent Events for custom streams
export { EventStream, openEventStream } from './transport';
export type { EventStreamOptions } from './transport';

// HTTP endpoints of your own: the bounded body reader the server's endpoints use
export { readRequestBody } from './http';
export type { RequestBody } from './http';

// Configuration
export { RealtimeConfig } from './config';
export type { RealtimeLimits } from './config';
export type { ConnectionDetails } from './details';

// Pub/sub
export { DEDUPE_DEFAULTS, MemoryBroker, createMemoryBroker, resolveDedupe } from './pubsub';
export type {
  Broker,
  BrokerListener,
  BrokerPublishOptions,
  DedupeOptions,
  ResolvedDedupe,
  HistoryResult,
  MemoryBrokerOptions,
  Payload,
  PresenceChange,
  PublishedMessage,
  Retention,
  StreamMessage,
} from './pubsub';

// Hooks and security
export {
  assertRateRule,
  createClientAddressResolver,
  createJwtAuth,
  createMemoryConnectionCounter,
  createMemoryRateLimiter,
  createOriginCheck,
  defaultAuthorize,
  topicRules,
  extractToken,
  JWT_FAILURE,
  ownerParam,
  RETRY_NEVER,
  resolveClientAddress,
} from './security';
export type {
  ConnectionCounter,
  JwtAuth,
  JwtAuthOptions,
  JwtSignOptions,
  JwtFailure,
  MemoryConnectionCounter,
  MemoryRateLimiter,
  MemoryRateLimiterOptions,
  OriginPolicy,
  RateDecision,
  RateLimiter,
  RateLimits,
  RateRule,
  SecurityOptions,
  ProxyHeader,
  TrustProxy,
} from './security';
export type {
  AuthHook,
  AuthRequest,
  AuthorizeHook,
  AuthorizeRequest,
  ConnectionInfo,
  Principal,
  TokenSourceOptions,
  TokenVerifier,
  TopicAction,
} from './security';
export type { FilterVerdict, MessageFilter, RpcContext, RpcHandler } from './hub';

// Inspector
export { INSPECTOR_DISCONNECT } from './inspector';
export type { InspectorOptions, InspectorSnapshot } from './inspector';

// Observability
export { renderPrometheus, silentLogger } from './observability';
export type {
  AnyLogger,
  LogFields,
  Logger,
  PinoLikeLogger,
  RealtimeStats,
  TelemetryOptions,
} from './observability';

// Live analytics
export {
  ANALYTICS_MINUTE_MS,
  OTHER_EVENT_TYPE,
  PAGE_VIEW_EVENT_TYPE,
  analyticsVisitorKey,
  createAnalyticsHandlers,
  createAnalyticsService,
  createMemoryAnalyticsStore,
} from './analytics';
export type {
  AnalyticsErrorSource,
  AnalyticsHandler,
  AnalyticsHandlers,
  AnalyticsHandlersOptions,
  AnalyticsService,
  AnalyticsServiceOptions,
  AnalyticsServiceStats,
  AnalyticsStore,
  IngestRateLimiter,
  IngestRateRule,
  MemoryAnalyticsStore,
  MemoryAnalyticsStoreOptions,
  MemoryAnalyticsStoreStats,
  MetricsPublisher,
  TrackInput,
} from './analytics';

// Notifications (the SQLite and PostgreSQL stores are in the `/sqlite` and `/postgres` subpaths)
export {
  createMemoryNotificationStore,
  createNotificationService,
} from './notifications';
export type {
  MemoryNotificationStoreOptions,
  NotificationHandlers,
  NotificationHttpHandler,
  NotificationHttpOptions,
  NotificationOperations,
  NotificationRealtime,
  NotificationService,
  NotificationServiceOptions,
  NotificationStore,
} from './notifications';
