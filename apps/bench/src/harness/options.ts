import { resolve } from 'node:path';
import type { SchemaKind, TargetName } from '../shared/targets';

/** Sizes of one invocation: the full run, or `--quick` for a smoke run of a minute or two. */
export interface BenchSizes {
  /** Subscriber counts of the WebSocket fan-out scenario. */
  readonly fanoutSubscribers: readonly number[];
  /** Measured flat-out flood per run, in ms (after a warm-up). */
  readonly floodMs: number;
  /** Subscribers of the fixed-rate latency run. */
  readonly latencySubscribers: number;
  /** Messages per second of the fixed-rate latency run. */
  readonly latencyRate: number;
  /** Measured span of the fixed-rate run, in ms (after a warm-up). */
  readonly latencyMs: number;
  /** Subscribers of the event-loop delay scenario (a trickle to many). */
  readonly loopDelaySubscribers: number;
  /** Messages per second of the event-loop delay scenario. */
  readonly loopDelayRate: number;
  /** Measured span of the event-loop delay scenario, in ms. */
  readonly loopDelayMs: number;
  /** Subscribers of the client-publish scenario. */
  readonly clientPublishSubscribers: number;
  /** Publisher connections of the client-publish scenario. */
  readonly clientPublishers: number;
  /** Messages per second, all publishers together, of the client-publish scenario. */
  readonly clientPublishRate: number;
  /** Connection counts of the idle-memory (and connect-rate) scenario. */
  readonly memoryConnections: readonly number[];
  /** Messages per second to the one subscriber of the client-cpu scenario. */
  readonly clientCpuRate: number;
  /** Measured span of the client-cpu scenario, in ms (after a warm-up). */
  readonly clientCpuMs: number;
  /** Clients of the echo scenario. */
  readonly echoClients: number;
  /** Measured span of the echo scenario, in ms. */
  readonly echoMs: number;
  /** Streams of the SSE fan-out scenario. */
  readonly sseSubscribers: number;
  /** Missed messages replayed in the recovery scenario. */
  readonly replayMessages: number;
  /** Events per analytics ingest measurement. */
  readonly analyticsEvents: number;
  /** Subscribers of the Redis-vs-memory broker fan-out (one node). */
  readonly redisSubscribers: number;
  /** Subscribers of the one-node-vs-two-nodes fan-out on Redis. */
  readonly twoNodeSubscribers: number;
  /** Idle connections the max-connections scenario aims for (`--connections`), where the open-files limit allows. */
  readonly maxConnections: number;
  /** Connections added per step of the max-connections scenario. */
  readonly maxConnectionsStep: number;
  /** Sockets per generator child (one loopback source address each) of the max-connections scenario. */
  readonly idleClientsPerChild: number;
  /** Window over which the max-connections scenario measures the idle server's CPU at each step, in ms. */
  readonly heartbeatCpuMs: number;
  /** `@oxidite/client` clients of the reconnect storm. */
  readonly stormClients: number;
  /** Generator processes the storm's clients are spread over. */
  readonly stormProcesses: number;
  /** Topics (with history) each storm client subscribes to. */
  readonly stormTopicsPerClient: number;
  /** Messages per topic published while the storm's server is down. */
  readonly stormMissed: number;
}

/** Everything an invocation was asked for. */
export interface BenchOptions {
  readonly isQuick: boolean;
  readonly rounds: number;
  /** `true`: JSON on stdout instead of the table; a string: also write JSON to that file. */
  readonly json: boolean | string;
  /** Scenario ids (or prefixes, e.g. `fanout`) to run. @default all */
  readonly only: readonly string[] | undefined;
  /** Targets to run. @default all */
  readonly targets: readonly TargetName[] | undefined;
  /** Directory for `--cpu-prof` profiles of the server processes. @default none */
  readonly profileDir: string | undefined;
  readonly schema: SchemaKind;
  /** Length of the padding string in each payload. @default 64 */
  readonly payloadBytes: number;
  /** Handshakes in flight while connecting. @default 100 */
  readonly concurrency: number;
  /** Flood credit: messages in flight per subscriber. @default 32 */
  readonly window: number;
  /** Messages per flood burst (per event-loop turn of the server). @default 4 */
  readonly burst: number;
  /** Budget of the whole invocation; runs that would start later are skipped. */
  readonly maxMinutes: number;
  /** `latencyBudget` (ms) of the Oxidite bench topic, on the `oxidite` targets only (not their `-b` twins). @default none */
  readonly latencyBudget: number | undefined;
  /** An alternative build of `@oxidite/server` (its dist/index.js), to A/B a server patch. @default none */
  readonly serverModule: string | undefined;
  /** An alternative build of `@oxidite/client` (its dist/index.js), to A/B a client patch. @default none */
  readonly clientModule: string | undefined;
  readonly sizes: BenchSizes;
}

const FULL: BenchSizes = {
  fanoutSubscribers: [1_000, 5_000],
  floodMs: 3_000,
  latencySubscribers: 1_000,
  // 200 msg/s to 1,000 subscribers is 200,000 deliveries/s: more than a 2-core machine delivers flat
  // out (~130,000/s), so it would measure queue growth. 50 msg/s keeps every target below ~50 % load.
  latencyRate: 50,
  latencyMs: 3_000,
  loopDelaySubscribers: 10_000,
  loopDelayRate: 1,
  loopDelayMs: 20_000,
  clientPublishSubscribers: 1_000,
  clientPublishers: 10,
  clientPublishRate: 50,
  memoryConnections: [5_000, 10_000],
  clientCpuRate: 20_000,
  clientCpuMs: 3_000,
  echoClients: 100,
  echoMs: 3_000,
  sseSubscribers: 1_000,
  replayMessages: 10_000,
  analyticsEvents: 2_000_000,
  redisSubscribers: 1_000,
  twoNodeSubscribers: 10_000,
  maxConnections: 100_000,
  maxConnectionsStep: 10_000,
  idleClientsPerChild: 10_000,
  heartbeatCpuMs: 10_000,
  stormClients: 10_000,
  stormProcesses: 2,
  stormTopicsPerClient: 2,
  stormMissed: 5,
};

const QUICK: BenchSizes = {
  fanoutSubscribers: [200],
  floodMs: 1_000,
  latencySubscribers: 200,
  latencyRate: 200,
  latencyMs: 1_000,
  loopDelaySubscribers: 1_000,
  loopDelayRate: 5,
  loopDelayMs: 2_000,
  clientPublishSubscribers: 200,
  clientPublishers: 4,
  clientPublishRate: 200,
  memoryConnections: [1_000],
  clientCpuRate: 5_000,
  clientCpuMs: 1_000,
  echoClients: 20,
  echoMs: 1_000,
  sseSubscribers: 200,
  replayMessages: 2_000,
  analyticsEvents: 200_000,
  redisSubscribers: 200,
  twoNodeSubscribers: 1_000,
  maxConnections: 4_000,
  maxConnectionsStep: 2_000,
  idleClientsPerChild: 1_500,
  heartbeatCpuMs: 2_000,
  stormClients: 1_000,
  stormProcesses: 1,
  stormTopicsPerClient: 2,
  stormMissed: 5,
};

export const USAGE = `usage: node dist/bench.js [options]
  --quick            1 round, small sizes (a smoke run)
  --rounds N         rounds per scenario (default 3, quick 1)
  --only a,b         scenarios to run, by id or prefix: fanout, latency, client-publish, loop-delay, connections, echo,
                     client-cpu, sse, replay, dedupe, analytics, redis-cost, two-nodes, storm (these three start their
                     own redis-server), max-connections
  --targets a,b      targets: oxidite, oxidite-client, oxidite-client-noschema, ws, ws-json, ws-frame-once, socketio,
                     oxidite-sse, node-sse, oxidite-redis, oxidite-redis-x2
  --schema zod|noop  validator of the Oxidite bench topic (default zod)
  --payload N        padding bytes per payload (default 64)
  --profile [DIR]    write --cpu-prof profiles of every server process to DIR (default ./profiles)
  --json [FILE]      print JSON instead of the table (or write it to FILE and print the table)
  --max-minutes N    time budget; later runs are skipped (default 15, quick 5)
  --connections N    idle connections the max-connections scenario aims for, in steps of 10,000, where
                     the open-files limit of the server process allows (default 100000, quick 4000)
  --latency-budget MS  latencyBudget of the Oxidite bench topic (not on the -b twins: with --server-module
                     pointing at the same build, an A/B of the budget)
  --server-module F  add oxidite-b / oxidite-sse-b: the same targets on the @oxidite/server build
                     in file F (a patched copy's dist/index.js), for an A/B within one run
  --client-module F  add oxidite-client-b / oxidite-client-noschema-b: the same targets on the @oxidite/client
                     build in file F (e.g. /work/base/packages/client/dist/index.js), for an A/B within one run`;

const VALUE_OPTIONS = [
  '--rounds',
  '--only',
  '--targets',
  '--schema',
  '--payload',
  '--max-minutes',
  '--server-module',
  '--client-module',
  '--latency-budget',
  '--connections',
];
const OPTIONAL_VALUE_OPTIONS = ['--json', '--profile'];

function value(args: string[], i: number, name: string): string {
  const next = args[i + 1];
  if (next === undefined || next.startsWith('--')) throw new Error(`${name} needs a value`);
  return next;
}

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${text}`);
  return n;
}

/** Parses argv (`--name value` or `--name=value`). Throws on anything unknown. */
export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const args = argv.flatMap((arg) => (arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg]));
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') continue;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const hasValue = VALUE_OPTIONS.includes(arg);
    const isOptional =
      OPTIONAL_VALUE_OPTIONS.includes(arg) && args[i + 1] !== undefined && !args[i + 1]?.startsWith('--');
    if (hasValue || isOptional) {
      flags.set(arg, value(args, i, arg));
      i++;
    } else flags.set(arg, true);
  }
  const known = [...VALUE_OPTIONS, ...OPTIONAL_VALUE_OPTIONS, '--quick', '--help'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option: ${name}\n${USAGE}`);
  if (flags.has('--help')) return 'help';
  const isQuick = flags.has('--quick');
  const list = (name: string): string[] | undefined => {
    const raw = flags.get(name);
    return typeof raw === 'string' ? raw.split(',').filter(Boolean) : undefined;
  };
  const schema = flags.get('--schema') ?? 'zod';
  if (schema !== 'zod' && schema !== 'noop') throw new Error(`--schema is zod or noop, got ${schema}`);
  const profile = flags.get('--profile');
  const rounds = flags.get('--rounds');
  const payload = flags.get('--payload');
  const maxMinutes = flags.get('--max-minutes');
  const latencyBudget = flags.get('--latency-budget');
  const connections = flags.get('--connections');
  const sizes = isQuick ? QUICK : FULL;
  return {
    isQuick,
    rounds: typeof rounds === 'string' ? Math.round(positive(rounds, '--rounds')) : isQuick ? 1 : 3,
    json: flags.get('--json') ?? false,
    only: list('--only'),
    targets: list('--targets') as TargetName[] | undefined,
    profileDir: profile === undefined ? undefined : profile === true ? 'profiles' : profile,
    schema,
    payloadBytes: typeof payload === 'string' ? Math.round(positive(payload, '--payload')) : 64,
    concurrency: 100,
    window: 32,
    burst: 4,
    maxMinutes: typeof maxMinutes === 'string' ? positive(maxMinutes, '--max-minutes') : isQuick ? 5 : 15,
    latencyBudget: typeof latencyBudget === 'string' ? positive(latencyBudget, '--latency-budget') : undefined,
    serverModule:
      typeof flags.get('--server-module') === 'string' ? resolve(flags.get('--server-module') as string) : undefined,
    clientModule:
      typeof flags.get('--client-module') === 'string' ? resolve(flags.get('--client-module') as string) : undefined,
    sizes:
      typeof connections === 'string'
        ? { ...sizes, maxConnections: Math.round(positive(connections, '--connections')) }
        : sizes,
  };
}
