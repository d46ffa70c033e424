import { monoMs } from './clock';

/**
 * Calls `send` `rate` times per second for `durationMs`, on schedule: after a late timer it catches
 * up at once rather than drifting. Resolves with how many were sent. One pacing for the server's
 * own publisher and for client publishers over sockets.
 */
export function paceAtRate(rate: number, durationMs: number, send: () => void): Promise<number> {
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const start = monoMs();
  let sent = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      const due = Math.min(total, Math.floor(((monoMs() - start) * rate) / 1000) + 1);
      while (sent < due) {
        sent++;
        send();
      }
      if (sent >= total) resolve(sent);
      else setTimeout(step, Math.max(0, start + (sent * 1000) / rate - monoMs()));
    };
    step();
  });
}
