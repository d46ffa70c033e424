/** A value shared by every component that uses it, and what ends it. */
export interface Resource<V> {
  readonly value: V;
  readonly dispose: () => void;
}

interface Entry {
  readonly resource: Resource<unknown>;
  users: number;
}

/**
 * Reference-counted values by key: the first `acquire` creates one (a topic's subscription, an
 * inbox, a stream), the last `release` disposes it. Disposal waits for a microtask so that React's
 * StrictMode, which unmounts and remounts every effect synchronously in development, finds the
 * value still there and reuses it: one `subscribe` on the wire, not subscribe-unsubscribe-subscribe.
 */
export class SharedResources {
  readonly #entries = new Map<string, Entry>();

  /** The value under `key` while anyone holds it. */
  peek<V>(key: string): V | undefined {
    return this.#entries.get(key)?.resource.value as V | undefined;
  }

  /** Holds the value under `key`, creating it first if needed; returns it and its release function. */
  acquire<V>(key: string, create: () => Resource<V>): [value: V, release: () => void] {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { resource: create(), users: 0 };
      this.#entries.set(key, entry);
    }
    const held = entry;
    held.users++;
    let isReleased = false;
    const release = () => {
      if (isReleased) return;
      isReleased = true;
      held.users--;
      // A promise job rather than `queueMicrotask`: the same timing without a DOM or Node global.
      void Promise.resolve().then(() => {
        if (held.users > 0 || this.#entries.get(key) !== held) return;
        this.#entries.delete(key);
        held.resource.dispose();
      });
    };
    return [held.resource.value as V, release];
  }
}
