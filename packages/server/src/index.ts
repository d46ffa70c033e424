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
export type { NodeHandler, RealtimeServer } from './server';
export type { RealtimeServerOptions } from './options';
export type { RealtimeServerEvents } from './events';

// Server-Sent Events for custom streams
export { EventStream, openEventStream } from './transport';
export type { EventStreamOptions } from './transport';

// Configuration
export { RealtimeConfig, resolveLimits } from './config';
export type { RealtimeLimits } from './config';
export type { ConnectionDetails } from './details';

// Pub/sub
export { HistoryRing, MemoryBroker, createMemoryBroker } from './pubsub';
export type {
  Broker,
  BrokerListener,
  HistoryResult,
  MemoryBrokerOptions,
  Payload,
  PresenceChange,
  Retention,
  StreamMessage,
} from './pubsub';

// Hooks and security
export { defaultAuthorize, extractToken } from './security';
export type {
  AuthHook,
  AuthRequest,
  AuthorizeHook,
  AuthorizeRequest,
  ConnectionInfo,
  Principal,
  TokenSourceOptions,
  TopicAction,
} from './security';
export type { FilterVerdict, MessageFilter, RpcContext, RpcHandler, TokenVerifier } from './hub';

// Observability
export { renderPrometheus, silentLogger } from './observability';
export type { Logger, RealtimeStats } from './observability';
