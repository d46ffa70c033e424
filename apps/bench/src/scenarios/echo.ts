import { type EchoClient, openEchoClient } from '../generator/echo-clients';
import { openMany } from '../generator/fleet';
import { LatencyRecorder } from '../generator/latency';
import { openCpuWindow } from '../harness/cpu-window';
import { monoMs, sleep } from '../shared/clock';
import type { TargetName } from '../shared/targets';
import { type Scenario, withServer } from './scenario';

const WARMUP_MS = 300;
/** Expected round trips per client per second at most, to size the latency buffer. */
const MAX_RATE_PER_CLIENT = 20_000;

/**
 * Request/response: `clients` connections each doing one echo round trip after another (one in
 * flight per client) for a fixed time. Oxidite: `rpc` `echo`; `ws`: the same envelope answered by
 * hand; Socket.IO: emit with ack; `oxidite-client`: `client.rpc` of the client library.
 */
export function echoScenario(clients: number, targets: readonly TargetName[]): Scenario {
  return {
    id: `echo-${clients}`,
    title: `echo round trips, ${clients} clients, one in flight each`,
    targets,
    baseline: 'ws',
    metrics: [
      { key: 'rate', label: 'round trips / s', better: 'higher' },
      { key: 'p50', label: 'p50 ms', better: 'lower' },
      { key: 'p99', label: 'p99 ms', better: 'lower' },
      { key: 'serverCpu', label: 'server CPU µs / round trip', better: 'lower' },
      { key: 'generatorCpu', label: 'generator CPU µs / round trip', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const connected: EchoClient[] = [];
        try {
          const open = await openMany(
            async () => connected.push(await openEchoClient(target, server.port, context.options.clientModule)),
            clients,
            context.options.concurrency,
            60_000,
          );
          if (open.opened < clients) throw new Error(`only ${open.opened}/${clients} connected (${open.firstError})`);
          const measuredMs = context.options.sizes.echoMs;
          const recorder = new LatencyRecorder(Math.ceil((measuredMs / 1000) * MAX_RATE_PER_CLIENT) * clients);
          const data = { n: 0, p: 'x'.repeat(context.options.payloadBytes) };
          let isRecording = false;
          let isRunning = true;
          let completed = 0;
          const maxCalls = Math.ceil(((WARMUP_MS + measuredMs) / 1000) * MAX_RATE_PER_CLIENT);
          const loops = connected.map(async (client) => {
            for (let calls = 0; isRunning && calls < maxCalls; calls++) {
              const start = monoMs();
              await client.echo(data);
              if (isRecording) {
                recorder.add(monoMs() - start);
                completed++;
              }
            }
          });
          await sleep(WARMUP_MS);
          const close = await openCpuWindow(server);
          isRecording = true;
          await sleep(measuredMs);
          isRecording = false;
          const cpu = await close();
          isRunning = false;
          await Promise.all(loops);
          const [p50, p99] = recorder.percentiles(50, 99);
          return {
            rate: completed / cpu.seconds,
            p50: p50 as number,
            p99: p99 as number,
            serverCpu: (cpu.serverCpu / completed) * 1e6,
            generatorCpu: (cpu.generatorCpu / completed) * 1e6,
          };
        } finally {
          closeAll(connected);
        }
      }),
  };
}

function closeAll(clients: readonly EchoClient[]): void {
  for (const client of clients) client.close();
}
