/**
 * @oxidite/redis — run Oxidite Realtime on many nodes through one Redis or a Redis Cluster: a broker (Pub/Sub for
 * fan-out, Streams for history and recovery, hashes for presence), a token-bucket rate limiter
 * in Lua whose buckets every node shares, and an analytics store whose live metrics every node
 * shares (minute hashes, HyperLogLogs, sorted sets).
 *
 * @example
 * import { analyticsTopics } from '@oxidite/protocol';
 * import { createAnalyticsService, createRealtimeServer } from '@oxidite/server';
 * import { createRedisAnalyticsStore, createRedisBroker, createRedisRateLimiter } from '@oxidite/redis';
 *
 * const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
 * const broker = createRedisBroker({ redis });
 * const rateLimiter = createRedisRateLimiter({ redis });
 * const rt = createRealtimeServer({ topics: { ...topics, ...analyticsTopics }, broker, security: { rateLimiter } });
 * const analytics = createAnalyticsService({ store: createRedisAnalyticsStore({ redis }), realtime: rt });
 *
 * @module
 */

// Broker
export { RedisBroker, createRedisBroker } from './redis-broker';
export type { RedisBrokerOptions } from './redis-broker';

// Connections
export type { RedisClusterInput, RedisInput } from './connection';

// Rate limiting
export { createRedisRateLimiter } from './redis-rate-limiter';
export type { RedisRateLimiter, RedisRateLimiterOptions } from './redis-rate-limiter';

// Connection caps across nodes
export { createRedisConnectionCounter } from './redis-connection-counter';
export type { RedisConnectionCounter, RedisConnectionCounterOptions } from './redis-connection-counter';

// Analytics
export { createRedisAnalyticsStore } from './redis-analytics-store';
export type { RedisAnalyticsStoreOptions } from './redis-analytics-store';
