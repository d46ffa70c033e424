import { spawn } from 'node:child_process';
import type { LoopDelay } from '../shared/ipc';

/** The probe: an idle Node process that records its own event-loop delay until told to stop. */
const PROBE = `
const { monitorEventLoopDelay } = require('node:perf_hooks');
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();
const cap = setTimeout(() => process.exit(3), 10 * 60_000);
process.on('disconnect', () => process.exit(0));
process.on('message', () => {
  h.disable();
  clearTimeout(cap);
  process.send({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 }, () => process.exit(0));
});
process.send('ready');
`;

/**
 * Starts an idle process that measures its own event-loop delay: the machine's scheduling noise
 * over the same window, the floor under any server's figure on a shared machine. Call the
 * returned function to stop it and read the figures (rejects after `timeoutMs`).
 */
export function startIdleProbe(timeoutMs = 10_000): Promise<() => Promise<LoopDelay>> {
  const child = spawn(process.execPath, ['-e', PROBE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('error', () => {});
  const reply = <T>(what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`idle probe: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      child.once('message', (message: T) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return reply<string>('start').then(() => () => {
    const result = reply<LoopDelay>('result');
    child.send('stop');
    return result;
  });
}
