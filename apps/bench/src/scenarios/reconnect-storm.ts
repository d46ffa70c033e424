import type { StormReport } from '../generator/storm-fleet';
import { openCpuWindow } from '../harness/cpu-window';
import { listenOverflows } from '../harness/listen-overflows';
import { RedisProcess } from '../harness/redis-process';
import type { ServerProcess } from '../harness/server-process';
import { StormGenerator } from '../harness/storm-generator';
import { monoMs, sleep } from '../shared/clock';
import { STORM_TOPICS, type TargetName } from '../shared/targets';
import { type RunContext, type RunResult, type Scenario, startServer } from './scenario';

/** Messages published on each topic while every client listens, before the restart. */
const LIVE_MESSAGES = 3;
/** The longest the clients may take to come back before the run counts who did not. */
const STORM_TIMEOUT_MS = 60_000;
const BIN_MS = 100;

/** Sizes of the reconnect storm. */
export interface StormInit {
  /** `@oxidite/client` instances, all connected to the server before it restarts. */
  readonly clients: number;
  /** Generator processes the clients are spread over. */
  readonly processes: number;
  /** Topics (with history) each client subscribes to. */
  readonly topicsPerClient: number;
  /** Messages published on each topic while the server is down: every client must recover them. */
  readonly missed: number;
  readonly targets: readonly TargetName[];
}

/**
 * The reconnect storm (issue #18, goal 4): `clients` `@oxidite/client` clients (default reconnect
 * policy) in a few generator processes, each subscribed to `topicsPerClient` topics with history,
 * on a server with the Redis broker. The server is stopped (1001 to every client); while it is
 * down another node on the same Redis publishes `missed` messages per topic; then a new server
 * process starts on the same port. Measured: from the restart until every client is open again,
 * has resubscribed every topic and has received every missed message (none twice), the server's
 * CPU over that storm, and reconnects per 100 ms (printed as a histogram).
 */
export function reconnectStormScenario(init: StormInit): Scenario {
  return {
    id: `storm-${init.clients}`,
    title: `reconnect storm: ${init.clients} clients back, resubscribed and recovered after a server restart (Redis broker)`,
    targets: init.targets,
    baseline: undefined,
    metrics: [
      { key: 'back', label: 'restart → all back, resubscribed, recovered (s)', better: 'lower' },
      { key: 'down', label: 'stop → new server listening (s)', better: 'lower' },
      { key: 'reopenP50', label: 'restart → reopen, p50 (s)', better: 'lower' },
      { key: 'reopenP99', label: 'restart → reopen, p99 (s)', better: 'lower' },
      { key: 'peak', label: 'most reconnects in one 100 ms', better: 'lower' },
      { key: 'serverCpu', label: 'server CPU over the storm (s)', better: 'lower' },
      { key: 'cpuPer1000', label: 'server CPU ms / 1,000 reconnects', better: 'lower' },
      { key: 'systemPer1000', label: '… of which system (kernel) ms / 1,000', better: 'lower' },
      { key: 'generatorCpu', label: 'generator CPU over the storm, all processes (s)', better: 'lower' },
      { key: 'overflows', label: 'ListenOverflows during the storm (machine-wide)', better: 'lower' },
      { key: 'notBack', label: 'clients not back in 60 s', better: 'lower' },
      { key: 'missing', label: 'missed messages not recovered', better: 'lower' },
      { key: 'duplicates', label: 'messages received twice', better: 'lower' },
      { key: 'resets', label: 'resubscribes not recovered (reset)', better: 'lower' },
    ],
    run: (target, context) => runStorm(target, context, init),
  };
}

async function runStorm(target: TargetName, context: RunContext, init: StormInit): Promise<RunResult> {
  const redis = await RedisProcess.start();
  const servers: ServerProcess[] = [];
  const generators: StormGenerator[] = [];
  try {
    const first = await startServer(target, context, redis.url);
    servers.push(first);
    // Another node on the same Redis: it publishes while the first is down, as a deployment would.
    const publisher = await startServer(target, context, redis.url);
    servers.push(publisher);
    for (let i = 0; i < init.processes; i++) generators.push(await StormGenerator.start());
    const url = `ws://127.0.0.1:${first.port}/ws`;
    const share = (i: number): number =>
      Math.floor(init.clients / init.processes) + (i < init.clients % init.processes ? 1 : 0);
    const concurrency = Math.max(1, Math.ceil(context.options.concurrency / init.processes));
    let offset = 0;
    await Promise.all(
      generators.map((generator, i) => {
        const first = offset;
        offset += share(i);
        return generator.request(
          { op: 'open', url, count: share(i), first, perClient: init.topicsPerClient, concurrency },
          180_000,
        );
      }),
    );
    await first.request({ op: 'publish-numbered', topics: STORM_TOPICS, from: 1, to: LIVE_MESSAGES }, 60_000);
    if (!(await allHave(generators, LIVE_MESSAGES, 30_000)))
      throw new Error('live messages did not reach every client');
    await Promise.all(generators.map((generator) => generator.request({ op: 'arm' })));

    const overflowsBefore = listenOverflows();
    const stoppedAt = monoMs();
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    const last = LIVE_MESSAGES + init.missed;
    await publisher.request(
      { op: 'publish-numbered', topics: STORM_TOPICS, from: LIVE_MESSAGES + 1, to: last },
      60_000,
    );
    const restarted = await startServer(target, context, redis.url, { port: first.port });
    servers.push(restarted);
    const upAt = monoMs();
    const usageAtUp = await restarted.usage();
    const closeCpu = await openCpuWindow(restarted);
    await Promise.all(
      generators.map((generator) =>
        generator.request({ op: 'wait', last, timeoutMs: STORM_TIMEOUT_MS }, STORM_TIMEOUT_MS + 10_000),
      ),
    );
    const cpu = await closeCpu();
    const systemCpu = ((await restarted.usage()).system - usageAtUp.system) / 1e6;
    const overflows = listenOverflows() - overflowsBefore;
    const reports = await Promise.all(generators.map((generator) => generator.report()));
    return summarize(reports, { stoppedAt, upAt, serverCpu: cpu.serverCpu, systemCpu, overflows }, context);
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()));
    await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
  }
}

/** Polls the generators until every client has messages 1..`last` (or the deadline passes). */
async function allHave(generators: readonly StormGenerator[], last: number, timeoutMs: number): Promise<boolean> {
  const deadline = monoMs() + timeoutMs;
  while (monoMs() < deadline) {
    const answers = await Promise.all(generators.map((g) => g.request<boolean>({ op: 'has-all', last })));
    if (answers.every(Boolean)) return true;
    await sleep(100);
  }
  return false;
}

interface StormTimes {
  readonly stoppedAt: number;
  readonly upAt: number;
  readonly serverCpu: number;
  /** The kernel's share of `serverCpu` (TCP work for the herd: accepts, SYN retries, loopback delivery). */
  readonly systemCpu: number;
  /** `ListenOverflows` from the stop until every client is back (dropped SYNs, machine-wide). */
  readonly overflows: number;
}

function summarize(reports: readonly StormReport[], times: StormTimes, context: RunContext): RunResult {
  const clients = reports.reduce((sum, report) => sum + report.clients, 0);
  const reopened = reports.flatMap((report) => report.reopened).map((at) => (at - times.upAt) / 1000);
  const done = reports.flatMap((report) => report.done).map((at) => (at - times.upAt) / 1000);
  reopened.sort((a, b) => a - b);
  done.sort((a, b) => a - b);
  const bins = histogram(reopened);
  for (const line of renderHistogram(bins)) context.log(line);
  const reconnects = Math.max(1, reopened.length);
  return {
    back: done.length === clients ? (done[done.length - 1] as number) : Number.NaN,
    down: (times.upAt - times.stoppedAt) / 1000,
    reopenP50: percentile(reopened, 50),
    reopenP99: percentile(reopened, 99),
    peak: Math.max(0, ...bins),
    serverCpu: times.serverCpu,
    cpuPer1000: (times.serverCpu / reconnects) * 1e6,
    systemPer1000: (times.systemCpu / reconnects) * 1e6,
    generatorCpu: reports.reduce((sum, report) => sum + report.cpu, 0),
    overflows: times.overflows,
    notBack: clients - done.length,
    missing: reports.reduce((sum, report) => sum + report.missing, 0),
    duplicates: reports.reduce((sum, report) => sum + report.duplicates, 0),
    resets: reports.reduce((sum, report) => sum + report.resets, 0),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Reconnects per {@link BIN_MS} from the restart (seconds since it, sorted). */
function histogram(seconds: readonly number[]): number[] {
  const bins: number[] = [];
  for (const at of seconds) {
    const bin = Math.max(0, Math.floor((at * 1000) / BIN_MS));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return Array.from(bins, (count) => count ?? 0);
}

/** One line per second of the storm: reconnects in each of its ten 100 ms bins. */
function renderHistogram(bins: readonly number[]): string[] {
  const lines = ['    reconnects per 100 ms after the restart (one row per second):'];
  for (let second = 0; second * 10 < bins.length; second++) {
    const row = bins.slice(second * 10, second * 10 + 10);
    const total = row.reduce((sum, n) => sum + n, 0);
    lines.push(`    ${String(second).padStart(3)} s | ${row.map((n) => String(n).padStart(4)).join(' ')} | ${total}`);
  }
  return lines;
}
