type AnyListener = (...args: unknown[]) => void;

/**
 * A tiny typed event emitter (no Node `events`, so it bundles for browsers). `on` returns the
 * function that removes the listener. A listener that throws never breaks the emitter's caller:
 * the error goes to `onListenerError`.
 */
export class Emitter<E extends Record<string, unknown[]>> {
  readonly #listeners = new Map<keyof E, Set<AnyListener>>();
  readonly #onListenerError: (error: unknown, event: keyof E) => void;

  constructor(onListenerError: (error: unknown, event: keyof E) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const added = listener as AnyListener;
    set.add(added);
    return () => {
      set.delete(added);
    };
  }

  /** Calls every listener of `event` in the order they were added. */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
