import { IdleClientPool } from '../generator/idle-client-pool';
import { openFilesLimit } from '../harness/open-files';
import type { ServerProcess } from '../harness/server-process';
import { sleep } from '../shared/clock';
import type { Memory, Usage } from '../shared/ipc';
import type { TargetName } from '../shared/targets';
import { type MetricSpec, type RunContext, type RunResult, type Scenario, startServer } from './scenario';

const MiB = 1024 * 1024;
/** File descriptors the server process needs besides its sockets (stdio, IPC, epoll, listener…: about 22 for the bench server). */
const FD_RESERVE = 100;
/** Handshakes in flight per generator child. */
const CONCURRENCY = 50;
/** How long one step's connections may take to open. */
const RAMP_TIMEOUT_MS = 120_000;
const SETTLE_MS = 1_000;

/** What the max-connections scenario does. */
export interface MaxConnectionsInit {
  /** Connections to reach, where the open-files limit allows. */
  readonly connections: number;
  /** Connections added per step. */
  readonly step: number;
  /** Sockets per generator child (each child has its own source address). */
  readonly perChild: number;
  /** Heartbeat interval while measuring, in ms (Oxidite's `heartbeatInterval`; the `ws` ping loop). */
  readonly heartbeatMs: number;
  /** Window over which the idle server's CPU is measured at each step, in ms. */
  readonly cpuWindowMs: number;
  readonly targets: readonly TargetName[];
}

/** The connection counts measured: steps of `step` up to `connections`, the last capped by `cap`. */
export function stepsOf(connections: number, step: number, cap: number): number[] {
  const steps: number[] = [];
  for (let n = step; n < connections + step; n += step) {
    const capped = Math.min(n, connections, cap);
    if (capped > (steps.at(-1) ?? 0)) steps.push(capped);
    if (capped < n) break;
  }
  return steps;
}

function cpuMsPerSecond(from: Usage, to: Usage): number {
  const cpuMs = (to.user + to.system - from.user - from.system) / 1000;
  return cpuMs / ((to.at - from.at) / 1000);
}

/** Server CPU per second over `windowMs` of doing nothing but heartbeats. */
async function idleCpu(server: ServerProcess, windowMs: number): Promise<number> {
  const from = await server.usage();
  await sleep(windowMs);
  return cpuMsPerSecond(from, await server.usage());
}

function stepMetrics(n: number): MetricSpec[] {
  const at = n.toLocaleString('en-US');
  return [
    { key: `rss@${n}`, label: `server RSS MiB at ${at}`, better: 'lower' },
    { key: `heap@${n}`, label: `server heap MiB (after GC) at ${at}`, better: 'lower' },
    { key: `cpu@${n}`, label: `server CPU ms/s, idle with heartbeats, at ${at}`, better: 'lower' },
    { key: `rss10k@${n}`, label: `RSS MiB per 10,000 connections, at ${at}`, better: 'lower' },
    { key: `heap10k@${n}`, label: `heap MiB per 10,000 connections, at ${at}`, better: 'lower' },
    { key: `cpu10k@${n}`, label: `heartbeat CPU ms/s per 10,000 connections, at ${at}`, better: 'lower' },
    { key: `ping@${n}`, label: `heartbeat CPU µs per connection per ping, at ${at}`, better: 'lower' },
  ];
}

/**
 * As many idle subscribed connections as one server process holds, with heartbeats running
 * (issue #18, goal 3). The load comes from child processes, each on its own loopback source
 * address (127.0.0.1, .2, …) and under its own open-files limit; the server's own limit caps the
 * run (read from /proc/self/limits, which the server child inherits). At each step of `step`
 * connections: server RSS and heap after a full GC, and its CPU per second while idle with a ping
 * to every connection every `heartbeatMs` (the difference to the same with no connection, per
 * connection and ping, is the cost of one heartbeat). Everything stops and closes by itself.
 */
export function maxConnectionsScenario(init: MaxConnectionsInit): Scenario {
  const limit = openFilesLimit();
  const cap = limit === undefined ? init.connections : limit - FD_RESERVE;
  const steps = stepsOf(init.connections, init.step, cap);
  const capNote = cap < init.connections ? `, capped at ${cap} by the open-files limit ${limit}` : '';
  return {
    id: 'max-connections',
    title: `idle subscribed connections up to ${init.connections}${capNote}: memory and heartbeat CPU (ping every ${init.heartbeatMs} ms)`,
    targets: init.targets,
    baseline: 'ws',
    metrics: [
      { key: 'held', label: 'connections held at the last step', better: 'higher' },
      { key: 'lost', label: 'connections lost during the run', better: 'lower' },
      { key: 'cpu@0', label: 'server CPU ms/s, idle, no connection', better: 'lower' },
      ...steps.flatMap(stepMetrics),
    ],
    run: (target, context) => runSteps(target, context, init, steps),
  };
}

async function runSteps(
  target: TargetName,
  context: RunContext,
  init: MaxConnectionsInit,
  steps: readonly number[],
): Promise<RunResult> {
  const server = await startServer(target, context, undefined, { heartbeatMs: init.heartbeatMs });
  const pool = new IdleClientPool(`ws://127.0.0.1:${server.port}/ws`, init.perChild);
  const result: Record<string, number> = {};
  try {
    const zero = await server.request<Memory>({ op: 'memory' });
    const cpu0 = await idleCpu(server, init.cpuWindowMs);
    result['cpu@0'] = cpu0;
    for (const n of steps) {
      const opened = await pool.openTo(n, CONCURRENCY, RAMP_TIMEOUT_MS);
      await sleep(SETTLE_MS);
      const memory = await server.request<Memory>({ op: 'memory' }, 60_000);
      if (memory.connections < n) {
        context.log(`  ${target}: ${memory.connections} of ${n} held (${opened.firstError ?? 'no error reported'})`);
        result.held = memory.connections;
        break;
      }
      const cpu = await idleCpu(server, init.cpuWindowMs);
      const per10k = (value: number): number => (value * 10_000) / n;
      Object.assign(result, {
        [`rss@${n}`]: memory.rss / MiB,
        [`heap@${n}`]: memory.heapUsed / MiB,
        [`cpu@${n}`]: cpu,
        [`rss10k@${n}`]: per10k((memory.rss - zero.rss) / MiB),
        [`heap10k@${n}`]: per10k((memory.heapUsed - zero.heapUsed) / MiB),
        [`cpu10k@${n}`]: per10k(cpu - cpu0),
        [`ping@${n}`]: ((cpu - cpu0) * init.heartbeatMs) / n,
        held: n,
      });
      context.log(
        `  ${target} ${n}: rss ${(memory.rss / MiB).toFixed(0)} MiB, heap ${(memory.heapUsed / MiB).toFixed(0)} MiB, ` +
          `cpu ${cpu.toFixed(1)} ms/s (${pool.addresses} source addresses)`,
      );
    }
    result.lost = (await pool.counts()).lost;
    return result;
  } finally {
    await pool.close();
    await server.stop();
  }
}
