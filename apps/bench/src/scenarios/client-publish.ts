import { LatencyRecorder } from '../generator/latency';
import { openRatePublishers } from '../generator/rate-publishers';
import { openCpuWindow } from '../harness/cpu-window';
import { waitFor } from '../shared/clock';
import { BENCH_TOPIC, type TargetName } from '../shared/targets';
import { createFleet, type Goal, type Scenario, subscribeAll, withServer } from './scenario';

const WARMUP_MS = 500;

/** What a client-publish scenario compares. */
export interface ClientPublishInit {
  readonly subscribers: number;
  readonly publishers: number;
  /** Messages per second, all publishers together. */
  readonly rate: number;
  /** Measured span, ms (after a warm-up). */
  readonly ms: number;
  readonly targets: readonly TargetName[];
  readonly cpuGoals?: readonly Goal[];
}

/**
 * Client-side publishes over sockets: `publishers` connections publish (acked) at a fixed total
 * rate to a topic with `subscribers` subscribers, so every message crosses the server's inbound
 * path (parse, validate, authorize, ack) before its fan-out. Latency is publisher → subscriber.
 */
export function clientPublishScenario(init: ClientPublishInit): Scenario {
  return {
    id: `client-publish-${init.subscribers}`,
    title: `client publishes over sockets: ${init.publishers} publishers, ${init.rate} msg/s in all, to ${init.subscribers} subscribers`,
    targets: init.targets,
    baseline: 'ws',
    metrics: [
      { key: 'p50', label: 'p50 ms', better: 'lower' },
      { key: 'p99', label: 'p99 ms', better: 'lower' },
      { key: 'serverCpu', label: 'server CPU µs / delivery', better: 'lower', goals: init.cpuGoals },
      { key: 'generatorCpu', label: 'generator CPU µs / delivery', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const fleet = createFleet(target, server.port);
        const pad = 'x'.repeat(context.options.payloadBytes);
        const publishers = await openRatePublishers(
          `ws://127.0.0.1:${server.port}/ws`,
          BENCH_TOPIC,
          init.publishers,
          pad,
        );
        try {
          await subscribeAll(fleet, init.subscribers, context);
          await publishers.run(init.rate, WARMUP_MS);
          const recorder = new LatencyRecorder(Math.ceil((init.rate * init.ms) / 1000 + 10) * init.subscribers);
          const base = fleet.received;
          const ackedBefore = publishers.acked;
          fleet.latency = recorder;
          const close = await openCpuWindow(server);
          const published = await publishers.run(init.rate, init.ms);
          const expected = published * init.subscribers;
          const isDrained = await waitFor(
            () => fleet.received - base >= expected && publishers.acked - ackedBefore >= published,
            30_000,
          );
          fleet.latency = undefined;
          const cpu = await close();
          if (publishers.failed > 0) throw new Error(`${publishers.failed} publishes refused`);
          if (!isDrained) throw new Error(`only ${fleet.received - base} of ${expected} delivered`);
          const [p50, p99] = recorder.percentiles(50, 99);
          const deliveries = fleet.received - base;
          return {
            p50: p50 as number,
            p99: p99 as number,
            serverCpu: (cpu.serverCpu * 1e6) / deliveries,
            generatorCpu: (cpu.generatorCpu * 1e6) / deliveries,
          };
        } finally {
          publishers.close();
          await fleet.close();
        }
      }),
  };
}
