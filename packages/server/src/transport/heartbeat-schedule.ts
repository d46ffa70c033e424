/** Options of {@link createHeartbeatSchedule}. */
export interface HeartbeatScheduleOptions {
  /** Interval of the pings, in ms (0: no pings, no cuts). */
  readonly interval: number;
  /** How long a ping may go unanswered (nothing at all heard after it) before the connection is cut, in ms. */
  readonly timeout: number;
  /** The clock (the server's `now` option). */
  readonly now: () => number;
  /**
   * One pass over the connections: cut those last heard from before `cutoff` (the time of a ping
   * sent `timeout` ago or more), and ping the others when `isPingDue`.
   */
  readonly sweep: (cutoff: number, isPingDue: boolean) => void;
}

/** A running schedule; `stop()` clears its timer. */
export interface HeartbeatSchedule {
  stop(): void;
}

/**
 * One timer for every connection (not one per socket: idle memory per connection is what a
 * realtime server is sized by). It pings every `interval`, and wakes again when each ping has had
 * `timeout` to be answered: a connection heard from before that ping (nothing since, not even the
 * pong) is cut then. So a stalled link is cut within `interval + timeout` of the stall, exactly
 * (the first ping after it, plus the timeout), whatever the phase of the ticks; and a connection
 * that answers every ping within `timeout` is never cut, even with `timeout` = `interval`
 * (issue #15, item 6).
 */
export function createHeartbeatSchedule(options: HeartbeatScheduleOptions): HeartbeatSchedule {
  const { interval, timeout, now, sweep } = options;
  if (interval <= 0) return { stop() {} };
  /** Pings whose answer time has not run out yet, oldest first. */
  const pings: number[] = [];
  let cutoff = Number.NEGATIVE_INFINITY;
  let nextPing = now() + interval;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isStopped = false;

  const wake = (): void => {
    const time = now();
    while (pings.length > 0 && (pings[0] as number) + timeout <= time) cutoff = pings.shift() as number;
    const isPingDue = time >= nextPing;
    sweep(cutoff, isPingDue);
    if (isStopped) return;
    if (isPingDue) {
      pings.push(time);
      nextPing = time + interval;
    }
    const deadline = pings.length > 0 ? Math.min(nextPing, (pings[0] as number) + timeout) : nextPing;
    arm(deadline - now());
  };
  const arm = (delay: number): void => {
    // At least 1 ms: a deadline due now is swept on the next turn, never in a busy loop.
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
