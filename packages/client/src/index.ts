/**
 * @oxidite/client — the Oxidite Realtime client for browsers and Node: a WebSocket that
 * reconnects (full-jitter backoff, per-close-code decisions), notices dead connections
 * (heartbeat), restores typed subscriptions without gaps or duplicates, queues requests while
 * offline, and resolves publishes and RPCs on the server's answer.
 *
 * @example
 * import { createClient } from '@oxidite/client';
 * import { topics } from './shared/topics'; // the map the server uses too
 *
 * const client = createClient({ url: 'wss://example.com/ws', topics, token: () => auth.token() });
 * client.on('state', ({ from, to, code }) => console.log(`${from} → ${to}`, code));
 * const sub = client.subscribe('chat:lobby', (msg, meta) => render(msg, meta.offset));
 * sub.on('reset', () => reloadChat()); // history could not cover a long disconnect
 * const { offset } = await client.publish('chat:lobby', { text: 'hi' }); // resolves on the ack
 *
 * @module
 */

// Client
export { createClient } from './client';
export type { ClientEvents, PublishOptions, PublishResult, RealtimeClient, RequestOptions } from './client-types';
export type { ClientOptions, QueueOptions, ReconnectOptions } from './options';

// Connection state
export type { ClientState, Retry, StateChange } from './state';

// Subscriptions
export type {
  MessageMeta,
  PresenceChange,
  ResetInfo,
  SubscribedInfo,
  SubscribeOptions,
  Subscription,
  SubscriptionEvents,
  SubscriptionState,
  SubscriptionStateChange,
} from './subscriptions/types';

// Reconnect schedule and token transport
export { backoffDelay } from './connection/backoff';
export type { BackoffOptions } from './connection/backoff';
export { clientSubprotocols, toBase64Url } from './connection/token';

// WebSocket injection
export type {
  CloseEventLike,
  MessageEventLike,
  WebSocketConstructor,
  WebSocketLike,
} from './connection/websocket-like';

// Server-Sent Events
export { createEventStream } from './sse/event-stream';
export type {
  EventStreamClient,
  EventStreamOptions,
  EventStreamReconnectOptions,
  EventStreamStateChange,
  TopicHandlers,
} from './sse/event-stream-types';
export type { AbortSignalLike, SseBodyReader, SseFetch, SseRequestInit, SseResponseLike } from './sse/fetch-like';

// Errors and codes, from @oxidite/protocol so apps need one import
export { CloseCode, ErrorCode, RealtimeError, isRealtimeError } from '@oxidite/protocol';
export type { Member } from '@oxidite/protocol';

// Notification inbox and analytics tracker: separate entry points that a bundle drops unless it
// imports them
export { createNotificationInbox } from './notifications/inbox';
export type {
  NotificationInbox,
  NotificationInboxEvents,
  NotificationInboxOptions,
  NotificationTopicMap,
  WithNotificationTopics,
} from './notifications/inbox-types';
export { createTracker } from './analytics/tracker';
export type {
  FetchLike,
  SendBeacon,
  Tracker,
  TrackerOptions,
  TrackerRequestInit,
} from './analytics/tracker-types';
export type { AnalyticsProperties, Notification } from '@oxidite/protocol';
