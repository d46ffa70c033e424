import { LatencyRecorder } from '../generator/latency';
import { openCpuWindow } from '../harness/cpu-window';
import { waitFor } from '../shared/clock';
import type { TargetName } from '../shared/targets';
import { flood } from './flood';
import { createFleet, type Goal, type Scenario, subscribeAll, withServer } from './scenario';

const WARMUP_MS = 500;

/** What a fan-out scenario compares. */
export interface FanoutInit {
  readonly id: string;
  readonly title: string;
  readonly subscribers: number;
  readonly targets: readonly TargetName[];
  readonly baseline: TargetName;
  /** Goals on delivered msg/s and on server CPU per million deliveries. */
  readonly throughputGoals?: readonly Goal[];
  readonly cpuGoals?: readonly Goal[];
}

/**
 * Flat-out fan-out: one topic, `subscribers` connections, messages published in the server
 * process as fast as the credit allows; delivered msg/s counted at the generator, CPU of both
 * processes per million deliveries.
 */
export function fanoutScenario(init: FanoutInit): Scenario {
  return {
    id: init.id,
    title: init.title,
    targets: init.targets,
    baseline: init.baseline,
    metrics: [
      { key: 'rate', label: 'delivered msg/s', better: 'higher', goals: init.throughputGoals },
      { key: 'serverCpu', label: 'server CPU s / 1M deliveries', better: 'lower', goals: init.cpuGoals },
      { key: 'generatorCpu', label: 'generator CPU s / 1M deliveries', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const fleet = createFleet(target, server.port);
        try {
          await subscribeAll(fleet, init.subscribers, context);
          const settings = { window: context.options.window, burst: context.options.burst };
          await flood(server, fleet, { ...settings, ms: WARMUP_MS });
          const close = await openCpuWindow(server);
          const delivered = await flood(server, fleet, { ...settings, ms: context.options.sizes.floodMs });
          const cpu = await close();
          const millions = delivered / 1e6;
          return {
            rate: delivered / cpu.seconds,
            serverCpu: cpu.serverCpu / millions,
            generatorCpu: cpu.generatorCpu / millions,
          };
        } finally {
          await fleet.close();
        }
      }),
  };
}

/** What a latency scenario compares. */
export interface LatencyInit {
  readonly id: string;
  readonly subscribers: number;
  readonly rate: number;
  readonly targets: readonly TargetName[];
  readonly goals?: readonly Goal[];
  /** Goals on server CPU per delivery. */
  readonly cpuGoals?: readonly Goal[];
}

/**
 * One publish per tick at a fixed rate (the shape of a chat or a feed): the server stamps each message with the monotonic clock when it
 * publishes it, every subscriber reads the stamp on arrival; p50/p99 over all deliveries after a
 * warm-up.
 */
export function latencyScenario(init: LatencyInit): Scenario {
  return {
    id: init.id,
    title: `end-to-end latency at ${init.rate} msg/s to ${init.subscribers} subscribers`,
    targets: init.targets,
    baseline: 'ws',
    metrics: [
      { key: 'p50', label: 'p50 ms', better: 'lower' },
      { key: 'p99', label: 'p99 ms', better: 'lower', goals: init.goals },
      { key: 'serverCpu', label: 'server CPU % of a core', better: 'lower' },
      { key: 'serverCpuPerDelivery', label: 'server CPU µs / delivery', better: 'lower', goals: init.cpuGoals },
      { key: 'generatorCpu', label: 'generator CPU % of a core', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const fleet = createFleet(target, server.port);
        try {
          await subscribeAll(fleet, init.subscribers, context);
          const measuredMs = context.options.sizes.latencyMs;
          const recorder = new LatencyRecorder(
            Math.ceil((init.rate * (measuredMs + WARMUP_MS)) / 1000 + 10) * init.subscribers,
          );
          const base = fleet.received;
          const startRecording = setTimeout(() => {
            fleet.latency = recorder;
          }, WARMUP_MS);
          const close = await openCpuWindow(server);
          const published = await server.request<number>(
            { op: 'rate', rate: init.rate, durationMs: WARMUP_MS + measuredMs },
            WARMUP_MS + measuredMs + 30_000,
          );
          const isDrained = await waitFor(() => fleet.received - base >= published * init.subscribers, 30_000);
          clearTimeout(startRecording);
          fleet.latency = undefined;
          const cpu = await close();
          if (!isDrained) throw new Error(`only ${fleet.received - base} of ${published * init.subscribers} delivered`);
          const [p50, p99] = recorder.percentiles(50, 99);
          return {
            p50: p50 as number,
            p99: p99 as number,
            serverCpu: (cpu.serverCpu / cpu.seconds) * 100,
            serverCpuPerDelivery: (cpu.serverCpu * 1e6) / (published * init.subscribers),
            generatorCpu: (cpu.generatorCpu / cpu.seconds) * 100,
          };
        } finally {
          await fleet.close();
        }
      }),
  };
}
