/** A value now, or later: what a store that may be remote (Redis) answers. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Runs `next` on `value` at once when it is a plain value, after it resolves otherwise. Admission
 * runs for every connection, and with the in-memory stores every answer is synchronous: this keeps
 * that path free of promises and microtask turns (issue #18, goal 4), while a Redis-backed store
 * still works.
 */
export function thenMaybe<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
