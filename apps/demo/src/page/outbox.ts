/**
 * The chat messages this page sent that the server has not acknowledged yet. While the connection
 * is down they are exactly the ones waiting in the client's offline queue, so the header can say
 * how many (the client does not expose its queue).
 */

/** A count of unacknowledged sends, with a change listener. */
export interface Outbox {
  /** Sends still waiting for their acknowledgement (or their failure). */
  readonly size: number;
  /** Counts `send` until it settles; returns it unchanged. */
  track<T>(send: Promise<T>): Promise<T>;
  /** Calls `listener` after every change of `size`; returns the function that stops it. */
  onChange(listener: () => void): () => void;
}

/** Creates an empty outbox. */
export function createOutbox(): Outbox {
  let size = 0;
  const listeners = new Set<() => void>();
  const changed = (by: number): void => {
    size += by;
    for (const listener of listeners) listener();
  };
  return {
    get size() {
      return size;
    },
    track(send) {
      changed(1);
      send.then(
        () => changed(-1),
        () => changed(-1),
      );
      return send;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
