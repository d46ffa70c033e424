import type { SubscriberFleet } from '../generator/fleet';
import { openCpuWindow } from '../harness/cpu-window';
import { RedisProcess } from '../harness/redis-process';
import type { ServerProcess } from '../harness/server-process';
import type { TargetName } from '../shared/targets';
import { flood } from './flood';
import {
  createFleet,
  type MetricSpec,
  type RunContext,
  type RunResult,
  type Scenario,
  startServer,
  subscribeAll,
} from './scenario';

const WARMUP_MS = 500;

const METRICS: readonly MetricSpec[] = [
  { key: 'rate', label: 'delivered msg/s', better: 'higher' },
  { key: 'serverCpu', label: 'server CPU s / 1M deliveries (all nodes)', better: 'lower' },
  { key: 'redisCpu', label: 'redis-server CPU s / 1M deliveries', better: 'lower' },
  { key: 'subscriptions', label: 'Redis channel subscriptions (all topics)', better: 'lower' },
];

/**
 * The cost of Redis: one node, one topic, flat-out fan-out on the memory broker and on the Redis
 * broker (every message goes through the publish script and back through Pub/Sub).
 */
export function redisCostScenario(subscribers: number): Scenario {
  return {
    id: `redis-cost-${subscribers}`,
    title: `fan-out on one node, memory vs Redis broker, ${subscribers} subscribers`,
    targets: ['oxidite', 'oxidite-redis'],
    baseline: 'oxidite',
    metrics: METRICS,
    run: (target, context) => runNodes(target, context, { nodes: 1, subscribers, withRedis: target !== 'oxidite' }),
  };
}

/**
 * Scale-out: `subscribers` on one Redis-backed node against the same subscribers split over two
 * nodes on one Redis, published on the first. Reports whether the second node adds delivered
 * msg/s on this machine and what it costs in CPU, and that each node subscribes to the one topic
 * it serves (two subscriptions with two nodes, not one per topic in the deployment).
 */
export function twoNodesScenario(subscribers: number): Scenario {
  return {
    id: `two-nodes-${subscribers}`,
    title: `fan-out on Redis, ${subscribers} subscribers on one node vs split over two`,
    targets: ['oxidite-redis', 'oxidite-redis-x2'],
    baseline: 'oxidite-redis',
    metrics: METRICS,
    run: (target, context) =>
      runNodes(target, context, { nodes: target === 'oxidite-redis-x2' ? 2 : 1, subscribers, withRedis: true }),
  };
}

interface NodesRun {
  readonly nodes: number;
  readonly subscribers: number;
  readonly withRedis: boolean;
}

async function runNodes(target: TargetName, context: RunContext, run: NodesRun): Promise<RunResult> {
  const redis = run.withRedis ? await RedisProcess.start() : undefined;
  const servers: ServerProcess[] = [];
  const fleets: SubscriberFleet[] = [];
  try {
    for (let i = 0; i < run.nodes; i++) servers.push(await startServer(target, context, redis?.url));
    for (const [i, server] of servers.entries()) {
      const fleet = createFleet('oxidite', server.port);
      fleets.push(fleet);
      const share = Math.floor(run.subscribers / run.nodes) + (i < run.subscribers % run.nodes ? 1 : 0);
      await subscribeAll(fleet, share, context);
    }
    const fleet = combine(fleets);
    const publisher = servers[0] as ServerProcess;
    const settings = { window: context.options.window, burst: context.options.burst };
    await flood(publisher, fleet, { ...settings, ms: WARMUP_MS });
    const redisBefore = (await redis?.cpuSeconds()) ?? 0;
    const windows = await Promise.all(servers.map((server) => openCpuWindow(server)));
    const delivered = await flood(publisher, fleet, { ...settings, ms: context.options.sizes.floodMs });
    const cpus = await Promise.all(windows.map((close) => close()));
    const redisCpu = ((await redis?.cpuSeconds()) ?? 0) - redisBefore;
    const millions = delivered / 1e6;
    const seconds = Math.max(...cpus.map((cpu) => cpu.seconds));
    return {
      rate: delivered / seconds,
      serverCpu: cpus.reduce((sum, cpu) => sum + cpu.serverCpu, 0) / millions,
      redisCpu: redisCpu / millions,
      subscriptions: redis ? (await redis.channels()).subscriptions : 0,
    };
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.close()));
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
  }
}

/** Several fleets seen as one, for the flood's credit and drain accounting. */
function combine(fleets: readonly SubscriberFleet[]): SubscriberFleet {
  return {
    get received() {
      return fleets.reduce((sum, fleet) => sum + fleet.received, 0);
    },
    get lost() {
      return fleets.reduce((sum, fleet) => sum + fleet.lost, 0);
    },
    get size() {
      return fleets.reduce((sum, fleet) => sum + fleet.size, 0);
    },
    latency: undefined,
    openOne: () => Promise.reject(new Error('open on a member fleet')),
    close: async () => {
      await Promise.all(fleets.map((fleet) => fleet.close()));
    },
  };
}
