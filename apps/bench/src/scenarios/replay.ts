import { openCpuWindow } from '../harness/cpu-window';
import { withTimeout } from '../generator/fleet';
import { openSocket } from '../generator/ws-fleet';
import { monoMs } from '../shared/clock';
import { REPLAY_TOPIC } from '../shared/targets';
import { type Scenario, withServer } from './scenario';

/**
 * Recovery: `count` messages are published while the client is away (history holds them all),
 * then a raw client subscribes with `since` just before the first; measured from sending
 * `subscribe` until the last missed message arrives.
 */
export function replayScenario(count: number): Scenario {
  return {
    id: `replay-${count}`,
    title: `recovery: resubscribe with since over ${count} missed messages`,
    targets: ['oxidite'],
    baseline: undefined,
    metrics: [
      { key: 'rate', label: 'replayed msg/s', better: 'higher' },
      { key: 'ms', label: 'time to last message, ms', better: 'lower' },
      { key: 'serverCpu', label: 'server CPU µs / message', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const since = await server.request<string>({ op: 'prefill', count }, 120_000);
        const ws = await openSocket(`ws://127.0.0.1:${server.port}/ws`);
        try {
          let frames = 0;
          const all = new Promise<void>((resolve, reject) => {
            // `subscribed`, then the `count` missed messages.
            ws.on('message', () => {
              if (++frames === count + 1) resolve();
            });
            ws.on('close', (code) => reject(new Error(`closed with ${code} after ${frames} frames`)));
          });
          const close = await openCpuWindow(server);
          const start = monoMs();
          ws.send(JSON.stringify({ type: 'subscribe', id: 1, topic: REPLAY_TOPIC, since }));
          await withTimeout(all, 60_000, 'replay');
          const ms = monoMs() - start;
          const cpu = await close();
          return { rate: count / (ms / 1000), ms, serverCpu: (cpu.serverCpu / count) * 1e6 };
        } finally {
          ws.terminate();
        }
      }),
  };
}
