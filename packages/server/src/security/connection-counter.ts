/**
 * Open connections per client address and per user, for the per-address and per-user caps.
 * Counts are kept by this process (each node enforces its own caps).
 */
export class ConnectionCounter {
  readonly #byAddress = new Map<string, number>();
  readonly #byUser = new Map<string, number>();

  add(address: string, user: string | undefined): void {
    increment(this.#byAddress, address);
    if (user !== undefined) increment(this.#byUser, user);
  }

  remove(address: string, user: string | undefined): void {
    decrement(this.#byAddress, address);
    if (user !== undefined) decrement(this.#byUser, user);
  }

  byAddress(address: string): number {
    return this.#byAddress.get(address) ?? 0;
  }

  byUser(user: string): number {
    return this.#byUser.get(user) ?? 0;
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function decrement(map: Map<string, number>, key: string): void {
  const next = (map.get(key) ?? 0) - 1;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}
