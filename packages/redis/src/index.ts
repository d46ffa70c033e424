/**
 * @oxidite/redis — run Oxidite Realtime on many nodes through one Redis: a broker (Pub/Sub for
 * fan-out, Streams for history and recovery, hashes for presence) and a token-bucket rate limiter
 * in Lua whose buckets every node shares.
 *
 * @example
 * import { createRealtimeServer } from '@oxidite/server';
 * import { createRedisBroker, createRedisRateLimiter } from '@oxidite/redis';
 *
 * const broker = createRedisBroker({ redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const rateLimiter = createRedisRateLimiter({ redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
 * const rt = createRealtimeServer({ topics, broker, security: { rateLimiter } });
 *
 * @module
 */

// Broker
export { RedisBroker, createRedisBroker } from './redis-broker';
export type { RedisBrokerOptions } from './redis-broker';

// Connections
export type { RedisInput } from './connection';

// Rate limiting
export { createRedisRateLimiter } from './redis-rate-limiter';
export type { RedisRateLimiter, RedisRateLimiterOptions } from './redis-rate-limiter';
