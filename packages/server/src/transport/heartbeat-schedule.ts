/** Options of {@link createHeartbeatSchedule}. */
export interface HeartbeatScheduleOptions {
  /** Interval of the pings, in ms (0: no pings, no cuts). */
  readonly interval: number;
  /** A connection silent for this long is cut, in ms. */
  readonly timeout: number;
  /** The clock (the server's `now` option). */
  readonly now: () => number;
  /**
   * One pass over the connections: cut those last heard at or before `cutoff`, ping the others
   * when `isPingDue`. Returns the oldest last-heard time among those kept (undefined if none).
   */
  readonly sweep: (cutoff: number, isPingDue: boolean) => number | undefined;
}

/** A running schedule; `stop()` clears its timer. */
export interface HeartbeatSchedule {
  stop(): void;
}

/**
 * One timer for every connection (not one per socket: idle memory per connection is what a
 * realtime server is sized by). It wakes at each ping and, in between, at the moment the
 * connection heard from longest ago reaches the timeout, so a silent connection is cut once it has
 * been silent for `timeout`, not at the first ping tick after that (which added up to one more
 * interval: issue #15, item 6). A stalled link is therefore cut within `timeout` of the last thing
 * heard, and so within `interval + timeout` of the stall.
 */
export function createHeartbeatSchedule(options: HeartbeatScheduleOptions): HeartbeatSchedule {
  const { interval, timeout, now, sweep } = options;
  if (interval <= 0) return { stop() {} }; // 0: no heartbeat at all
  let nextPing = now() + interval;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isStopped = false;

  const wake = (): void => {
    const time = now();
    const isPingDue = time >= nextPing;
    if (isPingDue) nextPing = time + interval;
    const oldest = sweep(time - timeout, isPingDue);
    if (isStopped) return;
    const deadline = oldest === undefined ? nextPing : Math.min(nextPing, oldest + timeout);
    arm(Math.max(deadline - now(), 0));
  };
  const arm = (delay: number): void => {
    // At least 1 ms: a deadline that is due now is swept on the next turn, never in a busy loop.
    timer = setTimeout(wake, Math.max(delay, 1));
    timer.unref?.();
  };
  arm(interval);
  return {
    stop() {
      isStopped = true;
      clearTimeout(timer);
    },
  };
}
