/**
 * Resolves or rejects like `promise`, unless `ms` pass first: then rejects with
 * `Timed out after <ms> ms waiting for <what>`. The timer never keeps the process alive.
 */
export function withDeadline<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
    timer.unref?.();
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/** A Node EventEmitter (`on`/`off`) or a DOM-style target (`addEventListener`, e.g. a WebSocket or EventSource). */
export type EventSourceLike =
  | {
      on(event: string, listener: (...args: unknown[]) => void): unknown;
      off(event: string, listener: (...args: unknown[]) => void): unknown;
    }
  | {
      addEventListener(event: string, listener: (event: unknown) => void): unknown;
      removeEventListener(event: string, listener: (event: unknown) => void): unknown;
    };

/**
 * Waits for one `event` from `emitter`, at most `ms` milliseconds (default 10 s).
 * Resolves with the listener's arguments as an array (for `addEventListener` targets: `[event]`).
 * For an EventEmitter, an `'error'` event rejects (unless `'error'` is what you wait for), like `events.once`.
 */
export function once(emitter: EventSourceLike, event: string, ms = 10_000): Promise<unknown[]> {
  let cleanup = () => {};
  const waiting = new Promise<unknown[]>((resolve, reject) => {
    if ('addEventListener' in emitter) {
      const listener = (ev: unknown) => {
        cleanup();
        resolve([ev]);
      };
      emitter.addEventListener(event, listener);
      cleanup = () => emitter.removeEventListener(event, listener);
      return;
    }
    const listener = (...args: unknown[]) => {
      cleanup();
      resolve(args);
    };
    const onError = (err: unknown) => {
      cleanup();
      reject(err);
    };
    emitter.on(event, listener);
    if (event !== 'error') emitter.on('error', onError);
    cleanup = () => {
      emitter.off(event, listener);
      if (event !== 'error') emitter.off('error', onError);
    };
  });
  return withDeadline(waiting, ms, `"${event}" event`).finally(() => cleanup());
}
