import { createEpoch } from '@oxidite/protocol';
import type { ConnectionCounter } from '@oxidite/server';
import { READ_SCRIPT, WRITE_SCRIPT } from './connection-counter-scripts';
import { type RedisClient, type RedisInput, openConnection, quit, run } from './connection';

/** Options of {@link createRedisConnectionCounter}. */
export interface RedisConnectionCounterOptions {
  /** Redis URL, ioredis options, a Redis Cluster's nodes, or an ioredis `Redis` or `Cluster` (which you then close yourself). */
  readonly redis: RedisInput;
  /** Prefix of every key: `<prefix>conns:a:<address>`, `<prefix>conns:u:<user>`. @default 'oxidite:' */
  readonly prefix?: string | undefined;
  /**
   * How often this node re-asserts its counts, in ms. A node silent for 3× this (crashed) stops
   * counting against the caps. @default 5_000
   */
  readonly heartbeatInterval?: number | undefined;
  /** How long a read waits for a (re)connection before it falls back to this node's counts, in ms. @default 2_000 */
  readonly connectTimeout?: number | undefined;
  /** Called with failed reads and writes (the caps then hold per node) and connection errors. @default a no-op */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** A {@link ConnectionCounter} shared by every node through Redis. */
export interface RedisConnectionCounter extends ConnectionCounter {
  byAddress(address: string): Promise<number>;
  byUser(user: string): Promise<number>;
  /** Stops the heartbeat, withdraws this node's counts, and quits the connection if it opened it. */
  close(): Promise<void>;
}

type ScriptClient = RedisClient & {
  oxConnWrite(key: string, node: string, count: number, ttl: number): Promise<number>;
  oxConnRead(key: string, node: string): Promise<number>;
};

/**
 * Per-address and per-user connection counts across nodes, for
 * `createRealtimeServer({ security: { connectionCounter } })`: the caps `maxConnectionsPerAddress`
 * and `maxConnectionsPerUser` then hold across the deployment, as the shared rate limits do.
 *
 * Each node keeps its own counts in memory (opens and closes never wait on Redis) and writes each
 * changed count to Redis, stamped to expire after 3 heartbeats; every heartbeat re-asserts them.
 * A read is this node's count plus the other nodes' unexpired ones (one script, one key), so a
 * crashed node's connections stop counting within 3 heartbeats. Like the in-memory caps, a check
 * and the open that follows are not one step: concurrent handshakes on several nodes may overshoot
 * a cap by a few. While Redis is unreachable, reads fall back to this node's counts.
 *
 * @example
 * const connectionCounter = createRedisConnectionCounter({ redis });
 * const rt = createRealtimeServer({ topics, broker, security: { rateLimiter, connectionCounter } });
 */
export function createRedisConnectionCounter(options: RedisConnectionCounterOptions): RedisConnectionCounter {
  const { client: raw, isOwned } = openConnection(options.redis);
  const client = raw as ScriptClient;
  client.defineCommand('oxConnWrite', { numberOfKeys: 1, lua: WRITE_SCRIPT });
  client.defineCommand('oxConnRead', { numberOfKeys: 1, lua: READ_SCRIPT });
  const onError = options.onError ?? (() => {});
  if (isOwned) client.on('error', (error: unknown) => onError(error));
  const prefix = `${options.prefix ?? 'oxidite:'}conns:`;
  const interval = options.heartbeatInterval ?? 5_000;
  const ttl = interval * 3;
  const timeout = options.connectTimeout ?? 2_000;
  const node = createEpoch();
  /** This node's open connections by count key. */
  const local = new Map<string, number>();

  // The count is read when the command goes out, so writes that waited for a connection still
  // land newest last; one that gave up is re-asserted by the next heartbeat.
  const write = (key: string): void => {
    run(client, timeout, () => client.oxConnWrite(key, node, local.get(key) ?? 0, ttl)).catch(onError);
  };
  const change = (key: string, delta: number): void => {
    const next = (local.get(key) ?? 0) + delta;
    if (next > 0) local.set(key, next);
    else local.delete(key);
    write(key);
  };
  const read = async (key: string): Promise<number> => {
    const mine = local.get(key) ?? 0;
    try {
      return mine + (await run(client, timeout, () => client.oxConnRead(key, node)));
    } catch (error) {
      onError(error);
      return mine;
    }
  };
  const heartbeat = setInterval(() => {
    for (const key of local.keys()) write(key);
  }, interval);
  heartbeat.unref?.();

  return {
    add(address, user) {
      change(`${prefix}a:${address}`, 1);
      if (user !== undefined) change(`${prefix}u:${user}`, 1);
    },
    remove(address, user) {
      change(`${prefix}a:${address}`, -1);
      if (user !== undefined) change(`${prefix}u:${user}`, -1);
    },
    byAddress: (address) => read(`${prefix}a:${address}`),
    byUser: (user) => read(`${prefix}u:${user}`),
    async close() {
      clearInterval(heartbeat);
      if (client.status === 'ready') {
        await Promise.all([...local.keys()].map((key) => client.oxConnWrite(key, node, 0, ttl).catch(onError)));
      }
      local.clear();
      if (isOwned) await quit(client);
    },
  };
}
