import { LatencyRecorder } from '../generator/latency';
import { openCpuWindow } from '../harness/cpu-window';
import { startIdleProbe } from '../harness/idle-probe';
import { waitFor } from '../shared/clock';
import type { LoopDelay } from '../shared/ipc';
import type { TargetName } from '../shared/targets';
import { createFleet, type Scenario, subscribeAll, withServer } from './scenario';

/** What a loop-delay scenario compares. */
export interface LoopDelayInit {
  readonly subscribers: number;
  /** Messages per second (a trickle: the cost is the size of each pass, not the rate). */
  readonly rate: number;
  /** Measured span, ms. */
  readonly ms: number;
  readonly targets: readonly TargetName[];
}

/**
 * Fan-out at scale without blocking (issue #18, goal 5): a trickle of messages to many
 * subscribers, with the server's event-loop delay (`monitorEventLoopDelay`) recorded over the
 * whole span. A server that reaches every socket in one synchronous pass holds up every other
 * connection's heartbeat, RPC and publish for the length of that pass; the delay percentiles show
 * it; an idle process measured over the same window gives the machine's own scheduling noise,
 * the floor under every target's figure on a shared machine. Delivery latency (publish → arrival, over every delivery) shows what bounding the pass costs
 * the subscribers served last.
 */
export function loopDelayScenario(init: LoopDelayInit): Scenario {
  return {
    id: `loop-delay-${init.subscribers}`,
    title: `event-loop delay of the server, ${init.rate} msg/s to ${init.subscribers} subscribers for ${init.ms / 1000} s`,
    targets: init.targets,
    baseline: 'ws',
    metrics: [
      { key: 'loopP99', label: 'event-loop delay p99 ms', better: 'lower' },
      { key: 'loopMax', label: 'event-loop delay max ms', better: 'lower' },
      { key: 'idleP99', label: 'idle process event-loop delay p99 ms (machine noise)', better: 'lower' },
      { key: 'p50', label: 'delivery p50 ms', better: 'lower' },
      { key: 'p99', label: 'delivery p99 ms', better: 'lower' },
      { key: 'serverCpu', label: 'server CPU ms / message', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const fleet = createFleet(target, server.port);
        try {
          await subscribeAll(fleet, init.subscribers, context);
          const expected = Math.max(1, Math.round((init.rate * init.ms) / 1000));
          const recorder = new LatencyRecorder((expected + 10) * init.subscribers);
          const base = fleet.received;
          fleet.latency = recorder;
          const stopProbe = await startIdleProbe();
          const close = await openCpuWindow(server);
          await server.request({ op: 'loop-delay-start' });
          const published = await server.request<number>(
            { op: 'rate', rate: init.rate, durationMs: init.ms },
            init.ms + 30_000,
          );
          const isDrained = await waitFor(() => fleet.received - base >= published * init.subscribers, 30_000);
          const delay = await server.request<LoopDelay>({ op: 'loop-delay-stop' });
          const idle = await stopProbe();
          fleet.latency = undefined;
          const cpu = await close();
          if (!isDrained) throw new Error(`only ${fleet.received - base} of ${published * init.subscribers} delivered`);
          const [p50, p99] = recorder.percentiles(50, 99);
          return {
            loopP99: delay.p99,
            loopMax: delay.max,
            idleP99: idle.p99,
            p50: p50 as number,
            p99: p99 as number,
            serverCpu: (cpu.serverCpu * 1000) / published,
          };
        } finally {
          await fleet.close();
        }
      }),
  };
}
