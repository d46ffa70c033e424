/**
 * Open connections per client address and per user, for the per-address and per-user caps
 * (`maxConnectionsPerAddress`, `maxConnectionsPerUser`). The hub reports every open and close
 * (`add`/`remove`, synchronous: it never waits on a remote store); admission reads the counts
 * before it lets a connection in. Like the {@link RateLimiter}, an implementation may be shared
 * by many nodes (`createRedisConnectionCounter` in @oxidite/redis), so that the caps hold across
 * them; the reads may then be asynchronous.
 */
export interface ConnectionCounter {
  /** A connection of `address` (and of `user`, when authenticated) opened. */
  add(address: string, user: string | undefined): void;
  /** A connection counted by {@link add} closed. */
  remove(address: string, user: string | undefined): void;
  /** Open connections of `address`, on every node that shares this counter. */
  byAddress(address: string): number | Promise<number>;
  /** Open connections of `user`, on every node that shares this counter. */
  byUser(user: string): number | Promise<number>;
}

/** A {@link ConnectionCounter} of this process alone, with synchronous reads. */
export interface MemoryConnectionCounter extends ConnectionCounter {
  byAddress(address: string): number;
  byUser(user: string): number;
}

/** Counts this process's connections (each node enforces its own caps): the server's default. */
export function createMemoryConnectionCounter(): MemoryConnectionCounter {
  const byAddress = new Map<string, number>();
  const byUser = new Map<string, number>();
  return {
    add(address, user) {
      increment(byAddress, address);
      if (user !== undefined) increment(byUser, user);
    },
    remove(address, user) {
      decrement(byAddress, address);
      if (user !== undefined) decrement(byUser, user);
    },
    byAddress: (address) => byAddress.get(address) ?? 0,
    byUser: (user) => byUser.get(user) ?? 0,
  };
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function decrement(map: Map<string, number>, key: string): void {
  const next = (map.get(key) ?? 0) - 1;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}
