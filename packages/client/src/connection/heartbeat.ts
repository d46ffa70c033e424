import { after, type Cancel, every, noop } from '../util/timers';

/** The client side of the application heartbeat of one connection. */
export interface Heartbeat {
  /** Something arrived from the server: the connection is alive. */
  seen(): void;
  stop(): void;
}

/**
 * Sends a `ping` every `interval` ms (the server's `welcome.heartbeat`); when nothing at all
 * arrives within `timeout` ms of a ping, calls `onTimeout`. TCP alone can take many minutes to
 * notice a black-holed connection (a dead NAT entry, a sleeping laptop); this notices in seconds.
 */
export function startHeartbeat(interval: number, timeout: number, ping: () => void, onTimeout: () => void): Heartbeat {
  if (interval <= 0) return { seen: noop, stop: noop };
  let watchdog: Cancel | undefined;
  const stopPings = every(interval, () => {
    ping();
    // Armed by the first unanswered ping only: re-arming on every ping would postpone it forever.
    watchdog ??= after(timeout, onTimeout);
  });
  return {
    seen() {
      watchdog?.();
      watchdog = undefined;
    },
    stop() {
      stopPings();
      watchdog?.();
      watchdog = undefined;
    },
  };
}
