import { assertRateRule, type RateDecision, type RateLimiter, type RateRule, RETRY_NEVER } from '@oxidite/server';
import type { Redis } from 'ioredis';
import { type RedisInput, openConnection, run } from './connection';
import { CONSUME_SCRIPT } from './rate-limiter-script';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** Redis URL, ioredis options, a Redis Cluster's nodes, or an ioredis `Redis` or `Cluster` (which you then close yourself). */
  readonly redis: RedisInput;
  /** Prefix of every bucket key: `{prefix}rate:{key}`. @default 'oxidite:' */
  readonly prefix?: string | undefined;
  /**
   * Clock in ms, for tests only. By default the script reads Redis `TIME`, so every node measures
   * refills on one clock whatever the skew between machines.
   * @default Redis TIME
   */
  readonly now?: (() => number) | undefined;
  /** How long a call waits for a (re)connection before it rejects with `broker unavailable`, in ms. @default 2_000 */
  readonly connectTimeout?: number | undefined;
  /** Called with connection errors, which ioredis would otherwise report itself. @default a no-op */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** A {@link RateLimiter} whose buckets live in Redis and are shared by every node. */
export interface RedisRateLimiter extends RateLimiter {
  consume(key: string, rule: RateRule, cost?: number): Promise<RateDecision>;
  /** Quits the connection if this limiter opened it. */
  close(): Promise<void>;
}

interface ScriptClient extends Redis {
  oxConsume(
    key: string,
    capacity: number,
    refill: number,
    cost: number,
    now: string,
  ): Promise<[number, number, number]>;
}

/**
 * Token buckets in Redis, one Lua call per decision, with the semantics documented on
 * `RateLimiter` in @oxidite/server (new keys start full, continuous refill, `retryAfter` in ms).
 *
 * @example
 * const rateLimiter = createRedisRateLimiter({ redis: 'redis://127.0.0.1:6379' });
 * const rt = createRealtimeServer({ topics, broker, security: { rateLimiter } });
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const { client: raw, isOwned } = openConnection(options.redis);
  const client = raw as ScriptClient;
  client.defineCommand('oxConsume', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
  if (isOwned) client.on('error', (error: unknown) => options.onError?.(error));
  const prefix = `${options.prefix ?? 'oxidite:'}rate:`;
  const timeout = options.connectTimeout ?? 2_000;
  return {
    async consume(key, rule, cost = 1) {
      assertRateRule(rule, cost);
      const now = options.now ? String(options.now()) : '';
      return run(client, timeout, async () => {
        const [allowed, remaining, retryAfter] = await client.oxConsume(
          prefix + key,
          rule.capacity,
          rule.refillPerSecond,
          cost,
          now,
        );
        return {
          allowed: allowed === 1,
          remaining,
          retryAfter: retryAfter < 0 ? RETRY_NEVER : Math.min(RETRY_NEVER, retryAfter),
        };
      });
    },
    async close() {
      if (!isOwned) return;
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
