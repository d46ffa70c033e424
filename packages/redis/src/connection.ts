import { ErrorCode, RealtimeError } from '@oxidite/protocol';
import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A Redis Cluster (or a managed one: ElastiCache, Memorystore, Upstash) to connect to. */
export interface RedisClusterInput {
  /** Some of the cluster's nodes, e.g. `[{ host: '10.0.0.1', port: 6379 }]`; ioredis discovers the rest. */
  readonly cluster: readonly ClusterNode[];
  /**
   * ioredis `Cluster` options: `redisOptions` (password, `tls`), `dnsLookup` and `natMap` for
   * managed clusters. This package always sets `enableOfflineQueue: false` and
   * `redisOptions.maxRetriesPerRequest: 1` (fail fast, as for one Redis), and
   * `slotsRefreshInterval: 2_000` unless given, so that a node that only subscribes follows a
   * failover (ioredis re-reads the slot map on a MOVED reply only, by default).
   * @default {}
   */
  readonly options?: ClusterOptions | undefined;
}

/**
 * How to reach Redis: a URL, ioredis options, a cluster's nodes, or an ioredis `Redis` or
 * `Cluster` you own (and close yourself).
 */
export type RedisInput = string | RedisOptions | RedisClusterInput | Redis | Cluster;

/**
 * How often (ms) a cluster connection re-reads the slot map unless its options say otherwise.
 * ioredis refreshes it only on a MOVED reply by default, and a node that only subscribes never
 * gets one: after a failover its sharded subscriber would stay on the demoted master, deaf, for
 * good. With this, a node resubscribes (and reads back what it missed) within about this long.
 */
export const SLOTS_REFRESH_INTERVAL = 2_000;

/** A connection to one Redis or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Options for connections this package creates. Commands fail fast while Redis is unreachable
 * (no offline queue, one retry for a command caught by a disconnect), so a publish rejects
 * within a bounded time instead of piling up; ioredis keeps reconnecting in the background.
 */
const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1 };

/** A connection and whether this package owns (and so closes) it. */
export interface RedisHandle {
  readonly client: RedisClient;
  readonly isOwned: boolean;
}

/** Opens (or adopts) the command connection. */
export function openConnection(input: RedisInput): RedisHandle {
  if (input instanceof Redis || input instanceof Cluster) return { client: input, isOwned: false };
  if (typeof input === 'string') return { client: new Redis(input, FAIL_FAST), isOwned: true };
  if ('cluster' in input) {
    const options = input.options ?? {};
    const client = new Cluster([...input.cluster], {
      slotsRefreshInterval: SLOTS_REFRESH_INTERVAL,
      ...options,
      enableOfflineQueue: false,
      redisOptions: { ...options.redisOptions, ...FAIL_FAST },
    });
    return { client, isOwned: true };
  }
  return { client: new Redis({ ...input, ...FAIL_FAST }), isOwned: true };
}

/**
 * A second connection with the same settings, for (S)SUBSCRIBE (a subscribed connection runs no
 * other command). On a cluster with `isSharded`, ioredis keeps one subscriber per master and
 * sends each SSUBSCRIBE to the shard that owns the channel's slot.
 */
export function duplicateConnection(client: RedisClient, isSharded: boolean): RedisClient {
  if (client instanceof Cluster) {
    const slotsRefreshInterval = client.options.slotsRefreshInterval ?? SLOTS_REFRESH_INTERVAL;
    return client.duplicate([], { shardedSubscribers: isSharded, slotsRefreshInterval });
  }
  return client.duplicate(FAIL_FAST);
}

/** The error every operation rejects with while Redis cannot be reached. */
export function unavailable(cause?: unknown): RealtimeError {
  return new RealtimeError(ErrorCode.INTERNAL, 'broker unavailable', { cause });
}

interface Waiter {
  readonly resolve: () => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Operations waiting for each connection to become ready. One `ready` listener per connection
 * serves them all: a listener per operation tripped Node's MaxListenersExceededWarning as soon as
 * more than ten operations were issued before the first connect (issue #21).
 */
const waiting = new WeakMap<RedisClient, Set<Waiter>>();

function readyWaiters(client: RedisClient): Set<Waiter> {
  const existing = waiting.get(client);
  if (existing) return existing;
  const created = new Set<Waiter>();
  waiting.set(client, created);
  client.on('ready', () => {
    for (const waiter of created) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    created.clear();
  });
  return created;
}

/**
 * Resolves once `client` is ready, or rejects with {@link unavailable} after `timeout` ms. Waiting
 * covers the first connect and short blips; a longer outage rejects promptly.
 */
export function whenReady(client: RedisClient, timeout: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(unavailable());
  const waiters = readyWaiters(client);
  return new Promise((resolve, reject) => {
    const waiter: Waiter = {
      resolve,
      timer: setTimeout(() => {
        waiters.delete(waiter);
        reject(unavailable());
      }, timeout),
    };
    waiter.timer.unref?.();
    waiters.add(waiter);
  });
}

/**
 * Runs `operation` once `client` is ready and normalises failures to a {@link RealtimeError}:
 * `broker error` when Redis answered with an error (a `ReplyError`: a script bug, out of memory),
 * `broker unavailable` for everything else (a closed socket, a command caught by a disconnect).
 */
export async function run<T>(client: RedisClient, timeout: number, operation: () => Promise<T>): Promise<T> {
  await whenReady(client, timeout);
  try {
    return await operation();
  } catch (error) {
    if (error instanceof RealtimeError) throw error;
    if (!(error instanceof Error && error.name === 'ReplyError')) throw unavailable(error);
    throw new RealtimeError(ErrorCode.INTERNAL, 'broker error', { cause: error });
  }
}

/**
 * `operation`'s promise, rejected with {@link unavailable} if it has not settled within `timeout`
 * ms. For the subscriber connection's (S)SUBSCRIBE and (S)UNSUBSCRIBE: a server-side topic group
 * runs its broker operations one after another, so one that never got its reply would leave the
 * topic deaf on this node for good. (Commands on the command connection fail fast by themselves.)
 */
export function bounded<T>(operation: Promise<T>, timeout: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable(new Error(`no reply within ${timeout} ms`))), timeout);
    timer.unref?.();
  });
  return Promise.race([operation, late]).finally(() => clearTimeout(timer));
}

/** QUIT when connected (graceful), else disconnect (stops reconnecting). */
export async function quit(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
