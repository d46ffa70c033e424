/**
 * Timers reached through `globalThis` and looked up at call time: the client compiles without Node
 * or DOM declarations, and fake timers that replace the globals (in tests) still apply.
 */
interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const timers = globalThis as unknown as TimerGlobals;

/** Stops a timer started by {@link after} or {@link every}. Calling it twice is harmless. */
export type Cancel = () => void;

/** Runs `callback` once after `ms` milliseconds. */
export function after(ms: number, callback: () => void): Cancel {
  const handle = timers.setTimeout(callback, ms);
  return () => timers.clearTimeout(handle);
}

/** Runs `callback` every `ms` milliseconds. */
export function every(ms: number, callback: () => void): Cancel {
  const handle = timers.setInterval(callback, ms);
  return () => timers.clearInterval(handle);
}

/** Settles like `value`, or rejects when it has not settled within `ms` (a hung provider). */
export function within<V>(value: V | PromiseLike<V>, ms: number): Promise<V> {
  return new Promise((resolve, reject) => {
    const cancel = after(ms, () => reject(new Error(`no answer within ${ms} ms`)));
    Promise.resolve(value).then(
      (settled) => {
        cancel();
        resolve(settled);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}

/** A cancel function that does nothing, for timers not running. */
export const noop: Cancel = () => {};
