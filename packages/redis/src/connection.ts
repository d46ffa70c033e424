import { ErrorCode, RealtimeError } from '@oxidite/protocol';
import { Redis, type RedisOptions } from 'ioredis';

/** How to reach Redis: a URL, ioredis options, or a client you own (and close yourself). */
export type RedisInput = string | RedisOptions | Redis;

/**
 * Options for connections this package creates. Commands fail fast while Redis is unreachable
 * (no offline queue, one retry for a command caught by a disconnect), so a publish rejects
 * within a bounded time instead of piling up; ioredis keeps reconnecting in the background.
 */
const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1 };

/** A connection and whether this package owns (and so closes) it. */
export interface RedisHandle {
  readonly client: Redis;
  readonly isOwned: boolean;
}

/** Opens (or adopts) the command connection. */
export function openConnection(input: RedisInput): RedisHandle {
  if (input instanceof Redis) return { client: input, isOwned: false };
  const client = typeof input === 'string' ? new Redis(input, FAIL_FAST) : new Redis({ ...input, ...FAIL_FAST });
  return { client, isOwned: true };
}

/** A second connection with the same settings, for SUBSCRIBE (a subscribed connection runs no other command). */
export function duplicateConnection(client: Redis): Redis {
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
const waiting = new WeakMap<Redis, Set<Waiter>>();

function readyWaiters(client: Redis): Set<Waiter> {
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
export function whenReady(client: Redis, timeout: number): Promise<void> {
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
export async function run<T>(client: Redis, timeout: number, operation: () => Promise<T>): Promise<T> {
  await whenReady(client, timeout);
  try {
    return await operation();
  } catch (error) {
    if (error instanceof RealtimeError) throw error;
    if (!(error instanceof Error && error.name === 'ReplyError')) throw unavailable(error);
    throw new RealtimeError(ErrorCode.INTERNAL, 'broker error', { cause: error });
  }
}
