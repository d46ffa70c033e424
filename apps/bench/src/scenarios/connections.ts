import { openCpuWindow } from '../harness/cpu-window';
import { sleep } from '../shared/clock';
import type { Memory } from '../shared/ipc';
import type { TargetName } from '../shared/targets';
import { createFleet, type Goal, type Scenario, subscribeAll, withServer } from './scenario';

const SETTLE_MS = 1_000;

/** What a connections scenario compares. */
export interface ConnectionsInit {
  readonly connections: number;
  readonly targets: readonly TargetName[];
  readonly memoryGoals?: readonly Goal[];
  readonly cpuGoals?: readonly Goal[];
}

/**
 * Opens `connections` subscribed connections (100 handshakes in flight) and measures three things:
 * how fast they connect and subscribe (until each `subscribed` answer), the server CPU that costs
 * (`process.cpuUsage()` in the server process over the connect + subscribe phase, per 1,000
 * connections: upgrade, admission, `welcome`, `subscribe`, `subscribed`), and what each costs the
 * idle server: RSS and heap after a full GC, minus the same before any connection, per connection.
 */
export function connectionsScenario(init: ConnectionsInit): Scenario {
  return {
    id: `connections-${init.connections}`,
    title: `${init.connections} idle subscribed connections: memory each, and connect + subscribe rate`,
    targets: init.targets,
    baseline: 'ws',
    metrics: [
      { key: 'rss', label: 'server RSS KiB / connection', better: 'lower', goals: init.memoryGoals },
      { key: 'heap', label: 'server heap KiB / connection', better: 'lower' },
      { key: 'connectRate', label: 'connect + subscribe / s', better: 'higher' },
      { key: 'connectCpu', label: 'server CPU ms / 1,000 connect + subscribe', better: 'lower', goals: init.cpuGoals },
      { key: 'generatorCpu', label: 'generator CPU ms / 1,000 connect + subscribe', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const before = await server.request<Memory>({ op: 'memory' });
        const fleet = createFleet(target, server.port);
        try {
          const closeWindow = await openCpuWindow(server);
          const { seconds } = await subscribeAll(fleet, init.connections, context);
          const cpu = await closeWindow();
          await sleep(SETTLE_MS);
          const after = await server.request<Memory>({ op: 'memory' }, 60_000);
          if (after.connections < init.connections)
            throw new Error(`server counts ${after.connections} of ${init.connections} subscribers`);
          const per = (bytes: number): number => bytes / init.connections / 1024;
          return {
            rss: per(after.rss - before.rss),
            heap: per(after.heapUsed - before.heapUsed),
            connectRate: init.connections / seconds,
            connectCpu: (cpu.serverCpu / init.connections) * 1e6,
            generatorCpu: (cpu.generatorCpu / init.connections) * 1e6,
          };
        } finally {
          await fleet.close();
        }
      }),
  };
}
