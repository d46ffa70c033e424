import type { BenchOptions } from '../harness/options';
import { SseFleet } from '../generator/sse-fleet';
import { openMany, type SubscriberFleet } from '../generator/fleet';
import { SocketIoFleet } from '../generator/socketio-fleet';
import { WsFleet } from '../generator/ws-fleet';
import { ServerProcess } from '../harness/server-process';
import { BENCH_TOPIC, isServerTwin, SERVER_OF, type TargetName } from '../shared/targets';

/** Which way a metric is better. */
export type Better = 'higher' | 'lower';

/** A goal on the ratio of `target`'s median to the baseline's. */
export interface Goal {
  readonly target: TargetName;
  /** The ratio must be at most this (costs) … */
  readonly max?: number;
  /** … or at least this (throughput). */
  readonly min?: number;
}

/** One reported figure of a scenario. */
export interface MetricSpec {
  readonly key: string;
  readonly label: string;
  readonly better: Better;
  readonly goals?: readonly Goal[] | undefined;
}

/** Figures of one run of one target, by metric key. */
export type RunResult = Readonly<Record<string, number>>;

/** What every run gets. */
export interface RunContext {
  readonly options: BenchOptions;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/** A benchmark scenario: run once per target per round. */
export interface Scenario {
  /** Short id, also the `--only` key, e.g. `fanout-1000`. */
  readonly id: string;
  /** One line saying what is measured. */
  readonly title: string;
  readonly targets: readonly TargetName[];
  /** Ratios are to this target's median. */
  readonly baseline: TargetName | undefined;
  readonly metrics: readonly MetricSpec[];
  run(target: TargetName, context: RunContext): Promise<RunResult>;
}

/**
 * Starts the server of `target` in its own process: on the Redis at `redisUrl`, if given; with a
 * heartbeat every `heartbeatMs`, if given (see {@link ServerConfig.heartbeatMs}); on `port`, if
 * given (a restart takes its predecessor's port).
 */
export function startServer(
  target: TargetName,
  context: RunContext,
  redisUrl?: string,
  more: { readonly heartbeatMs?: number | undefined; readonly port?: number | undefined } = {},
): Promise<ServerProcess> {
  const { options } = context;
  return ServerProcess.start(
    {
      kind: SERVER_OF[target],
      schema: options.schema,
      payloadBytes: options.payloadBytes,
      replayHistory: Math.max(100, options.sizes.replayMessages),
      serverModule: isServerTwin(target) ? options.serverModule : undefined,
      latencyBudget: isServerTwin(target) ? undefined : options.latencyBudget,
      redisUrl,
      heartbeatMs: more.heartbeatMs,
      port: more.port,
    },
    { profileDir: options.profileDir },
  );
}

/** Starts the server of `target` in its own process, runs `body`, and always stops it. */
export async function withServer<T>(
  target: TargetName,
  context: RunContext,
  body: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await startServer(target, context);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

/** The subscriber fleet that fits a target. */
export function createFleet(target: TargetName, port: number): SubscriberFleet {
  switch (target) {
    case 'socketio':
      return new SocketIoFleet(`http://127.0.0.1:${port}`, BENCH_TOPIC);
    case 'oxidite-sse':
    case 'oxidite-sse-b':
      return new SseFleet(port, `/events?topic=${BENCH_TOPIC}`);
    case 'node-sse':
      return new SseFleet(port, '/events');
    default:
      return new WsFleet(`ws://127.0.0.1:${port}/ws`, BENCH_TOPIC);
  }
}

/** Opens `count` subscribers or throws saying why not all could be. */
export async function subscribeAll(
  fleet: SubscriberFleet,
  count: number,
  context: RunContext,
): Promise<{ seconds: number }> {
  const result = await openMany(() => fleet.openOne(), count, context.options.concurrency, 120_000);
  if (result.opened < count) {
    await fleet.close();
    throw new Error(`only ${result.opened}/${count} subscribed (${result.firstError ?? 'timeout'})`);
  }
  return { seconds: result.seconds };
}
