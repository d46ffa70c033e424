import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRedisAnalyticsStore, createRedisBroker, createRedisRateLimiter } from '@oxidite/redis';
import {
  type AnalyticsStore,
  type Broker,
  createMemoryAnalyticsStore,
  createMemoryBroker,
  createMemoryRateLimiter,
  type Logger,
  type NotificationStore,
  type RateLimiter,
} from '@oxidite/server';
import type { HubEnv } from './config/mask';

/** Where the hub keeps its state: in this process (and a data dir), or shared through Redis/PostgreSQL. */
export interface HubStores {
  readonly broker: Broker;
  readonly rateLimiter: RateLimiter;
  readonly analyticsStore: AnalyticsStore;
  readonly notificationStore: NotificationStore;
  /** Closes what was opened here, in dependency order. */
  close(): Promise<void>;
}

/**
 * Memory broker and SQLite notifications in `dataDir` by default; `REDIS_URL` swaps in the Redis
 * broker, rate limiter and analytics store, and `DATABASE_URL` PostgreSQL notifications, so many
 * hub processes act as one with no other change. The stores' modules load only when used.
 */
export async function openStores(dataDir: string, env: HubEnv, logger: Logger): Promise<HubStores> {
  const redis = env.redisUrl;
  // Redis being down is reported, never thrown: ioredis reconnects and operations fail fast meanwhile.
  const onError = (what: string) => (error: unknown) => logger.warn(`hub: ${what} error`, { error: String(error) });
  const broker = redis ? createRedisBroker({ redis, onError: onError('redis broker') }) : createMemoryBroker();
  const redisLimiter = redis ? createRedisRateLimiter({ redis, onError: onError('redis rate limiter') }) : undefined;
  const rateLimiter: RateLimiter = redisLimiter ?? createMemoryRateLimiter();
  const analyticsStore = redis
    ? createRedisAnalyticsStore({ redis, onError: onError('redis analytics store') })
    : createMemoryAnalyticsStore();
  let notificationStore: NotificationStore;
  if (env.databaseUrl) {
    const { createPostgresNotificationStore } = await import('@oxidite/server/postgres');
    notificationStore = createPostgresNotificationStore({ connectionString: env.databaseUrl });
  } else {
    mkdirSync(dataDir, { recursive: true });
    const { createSqliteNotificationStore } = await import('@oxidite/server/sqlite');
    notificationStore = createSqliteNotificationStore({ path: path.join(dataDir, 'notifications.db') });
  }
  return {
    broker,
    rateLimiter,
    analyticsStore,
    notificationStore,
    async close() {
      await notificationStore.close();
      await analyticsStore.close?.();
      await broker.close();
      await redisLimiter?.close();
    },
  };
}
