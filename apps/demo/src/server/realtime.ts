import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRedisAnalyticsStore, createRedisBroker } from '@oxidite/redis';
import {
  type AnalyticsService,
  type AuthorizeRequest,
  createAnalyticsService,
  createNotificationService,
  createRealtimeServer,
  type MessageFilter,
  type NotificationService,
  type RealtimeServer,
  type TrackInput,
  RealtimeConfig,
} from '@oxidite/server';
import { createSqliteNotificationStore } from '@oxidite/server/sqlite';
import {
  type ChatMessage,
  ChatLimit,
  type DemoMethods,
  type DemoTopics,
  methods,
  ROOMS,
  topics,
} from '../shared/topics';
import type { DemoConfig } from './config';
import { displayName, type TokenService } from './tokens';

/** Prefix of the demo's Redis keys and channels. */
const REDIS_PREFIX = 'oxidite-demo:';

/** How often the dashboard gets a fresh snapshot, in ms. */
const METRICS_INTERVAL = 2_000;

/** The realtime side of the demo: the server, the inbox and the analytics, with one `close()`. */
export interface DemoRealtime {
  readonly rt: RealtimeServer<DemoTopics, DemoMethods>;
  readonly notifications: NotificationService;
  readonly analytics: AnalyticsService;
  /** Tracks a server-side event; never throws (analytics must not fail a login or a message). */
  track(event: TrackInput): void;
  /**
   * Closes in dependency order: connections (1001; tracking stops first, so a message filtered
   * meanwhile tracks nothing), then the analytics (last flush), the stores, the broker.
   */
  close(): Promise<void>;
}

/**
 * Chat rooms are the listed ones only. Everything else is decided by the topic declarations, which
 * the server enforces before this hook (inboxes are their owner's, `analytics:metrics` is server-only).
 */
function authorize(request: AuthorizeRequest): boolean {
  if (request.pattern === 'chat:{room}') return (ROOMS as readonly string[]).includes(request.params['room'] ?? '');
  return true;
}

/** Wires the realtime server, the SQLite inbox and the analytics service. */
export function createDemoRealtime(
  config: DemoConfig,
  tokens: TokenService,
  onError: (error: unknown, where: string) => void,
): DemoRealtime {
  // With Redis, every demo process shares messages, presence and history (the broker) and one
  // set of analytics (the store); the prefix keeps the demo's keys apart from other apps'.
  const redis = config.redisUrl
    ? {
        broker: createRedisBroker({
          redis: config.redisUrl,
          prefix: REDIS_PREFIX,
          onError: (e) => onError(e, 'redis'),
        }),
        analytics: createRedisAnalyticsStore({
          redis: config.redisUrl,
          prefix: REDIS_PREFIX,
          onError: (e) => onError(e, 'redis analytics'),
        }),
      }
    : undefined;
  // Assigned below, once the server it publishes on exists; events before that are not tracked.
  let analytics: AnalyticsService | undefined;
  let isClosing = false;
  const track = (event: TrackInput): void => {
    if (isClosing) return; // the service is stopping: late events are not errors
    try {
      analytics?.track(event);
    } catch (error) {
      onError(error, 'analytics track'); // e.g. rate_limited when the queue is full
    }
  };

  const filter: MessageFilter = ({ topic, data, connection }) => {
    if (!topic.startsWith('chat:')) return true;
    const message = data as ChatMessage; // already validated against ChatMessageSchema
    if (message.author !== displayName(connection.principal)) return { reject: 'author must be your own name' };
    if (message.text.trim() === '') return { reject: 'empty message' };
    track({ type: 'chat_message', userId: connection.principal?.id, properties: { room: topic.slice(5) } });
    return true;
  };

  const rt = createRealtimeServer({
    topics,
    methods,
    ...RealtimeConfig.development({ maxRewind: ChatLimit.HISTORY_SIZE }),
    // A tab that never answers the close handshake must not hold a Ctrl-C for long.
    closeGrace: 2_000,
    ...(redis ? { broker: redis.broker } : {}),
    ...tokens.jwt,
    authorize,
    filter,
  });
  rt.on('error', (error, where) => onError(error, where));

  mkdirSync(config.dataDir, { recursive: true });
  const store = createSqliteNotificationStore({ path: path.join(config.dataDir, 'notifications.db') });
  const notifications = createNotificationService({ store, realtime: rt, onError });
  analytics = createAnalyticsService({
    ...(redis ? { store: redis.analytics } : {}), // else a memory store, per process
    realtime: rt,
    publishInterval: METRICS_INTERVAL,
    flushInterval: 500,
    onError: (error, source) => onError(error, `analytics ${source}`),
  });
  const service = analytics;

  return {
    rt,
    notifications,
    analytics: service,
    track,
    async close() {
      isClosing = true;
      await rt.close();
      await service.close();
      await store.close();
      await redis?.analytics.close();
      await redis?.broker.close();
    },
  };
}
