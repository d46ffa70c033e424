/**
 * An external store for `useSyncExternalStore`: an immutable snapshot replaced on every change,
 * change listeners, and event listeners (a message, for `onMessage`) that components add while
 * mounted.
 */
export class Feed<S, E extends unknown[] = []> {
  #snapshot: S;
  readonly #changeListeners = new Set<() => void>();
  readonly #eventListeners = new Set<(...args: E) => void>();

  constructor(initial: S) {
    this.#snapshot = initial;
  }

  get snapshot(): S {
    return this.#snapshot;
  }

  /** Replaces the snapshot (a new object: React compares snapshots by identity) and tells the components. */
  set(next: S): void {
    this.#snapshot = next;
    for (const listener of [...this.#changeListeners]) listener();
  }

  /** Passes an event to every component's event listener. */
  emit(...args: E): void {
    for (const listener of [...this.#eventListeners]) listener(...args);
  }

  /** Adds a component's listeners; returns the function that removes them. */
  listen(onChange: () => void, onEvent?: (...args: E) => void): () => void {
    this.#changeListeners.add(onChange);
    if (onEvent) this.#eventListeners.add(onEvent);
    return () => {
      this.#changeListeners.delete(onChange);
      if (onEvent) this.#eventListeners.delete(onEvent);
    };
  }
}
