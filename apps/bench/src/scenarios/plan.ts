import type { BenchOptions } from '../harness/options';
import { B_TWIN, CLIENT_B_TWIN, type TargetName } from '../shared/targets';
import { analyticsScenario } from './analytics';
import { clientCpuScenario } from './client-cpu';
import { clientPublishScenario } from './client-publish';
import { connectionsScenario } from './connections';
import { echoScenario } from './echo';
import { fanoutScenario, latencyScenario } from './fanout';
import { loopDelayScenario } from './loop-delay';
import { maxConnectionsScenario } from './max-connections';
import { publishDedupeScenario } from './publish-dedupe';
import { reconnectStormScenario } from './reconnect-storm';
import { redisCostScenario, twoNodesScenario } from './redis';
import { replayScenario } from './replay';
import type { Scenario } from './scenario';

const WS_TARGETS: readonly TargetName[] = ['oxidite', 'ws', 'ws-frame-once', 'socketio'];

/** The scenarios of an invocation, in order, filtered by `--only` and `--targets`. */
export function plan(options: BenchOptions): Scenario[] {
  const { sizes } = options;
  const all: Scenario[] = [
    ...sizes.fanoutSubscribers.map((subscribers) =>
      fanoutScenario({
        id: `fanout-${subscribers}`,
        title: `WebSocket fan-out, flat out, 1 topic, ${subscribers} subscribers`,
        subscribers,
        targets: WS_TARGETS,
        baseline: 'ws',
        throughputGoals: [{ target: 'oxidite', min: 0.95 }],
        cpuGoals: [{ target: 'oxidite', max: 1.0 }],
      }),
    ),
    latencyScenario({
      id: `latency-${sizes.latencySubscribers}`,
      subscribers: sizes.latencySubscribers,
      rate: sizes.latencyRate,
      targets: WS_TARGETS,
      goals: [{ target: 'oxidite', max: 1.0 }],
      cpuGoals: [{ target: 'oxidite', max: 0.95 }],
    }),
    clientPublishScenario({
      subscribers: sizes.clientPublishSubscribers,
      publishers: sizes.clientPublishers,
      rate: sizes.clientPublishRate,
      ms: sizes.latencyMs,
      targets: ['oxidite', 'ws', 'ws-frame-once'],
      cpuGoals: [{ target: 'oxidite', max: 1.0 }],
    }),
    loopDelayScenario({
      subscribers: sizes.loopDelaySubscribers,
      rate: sizes.loopDelayRate,
      ms: sizes.loopDelayMs,
      targets: ['oxidite', 'ws', 'ws-frame-once'],
    }),
    ...sizes.memoryConnections.map((connections) =>
      connectionsScenario({
        connections,
        targets: ['oxidite', 'ws', 'socketio'],
        memoryGoals: [{ target: 'oxidite', max: 1.2 }],
        cpuGoals: [{ target: 'oxidite', max: 1.0 }],
      }),
    ),
    echoScenario(sizes.echoClients, ['oxidite', 'oxidite-client', 'ws', 'socketio']),
    clientCpuScenario(sizes.clientCpuRate, sizes.clientCpuMs),
    fanoutScenario({
      id: `sse-${sizes.sseSubscribers}`,
      title: `SSE fan-out, flat out, ${sizes.sseSubscribers} streams`,
      subscribers: sizes.sseSubscribers,
      targets: ['oxidite-sse', 'node-sse'],
      baseline: 'node-sse',
      cpuGoals: [{ target: 'oxidite-sse', max: 1.1 }],
    }),
    replayScenario(sizes.replayMessages),
    // Publishers and span of the echo scenario: the same kind of request/answer load.
    publishDedupeScenario(sizes.echoClients, sizes.echoMs),
    analyticsScenario(sizes.analyticsEvents),
    redisCostScenario(sizes.redisSubscribers),
    twoNodesScenario(sizes.twoNodeSubscribers),
    maxConnectionsScenario({
      connections: sizes.maxConnections,
      step: sizes.maxConnectionsStep,
      perChild: sizes.idleClientsPerChild,
      // Short enough that a 10 s window holds 5 rounds of pings; the production default is 30 s.
      heartbeatMs: 2_000,
      cpuWindowMs: sizes.heartbeatCpuMs,
      targets: ['oxidite', 'ws'],
    }),
    reconnectStormScenario({
      clients: sizes.stormClients,
      processes: sizes.stormProcesses,
      topicsPerClient: sizes.stormTopicsPerClient,
      missed: sizes.stormMissed,
      targets: ['oxidite'],
    }),
  ];
  const only = options.only;
  const targets = options.targets;
  const twinOf = (target: TargetName): TargetName | undefined =>
    (options.serverModule ? B_TWIN[target] : undefined) ?? (options.clientModule ? CLIENT_B_TWIN[target] : undefined);
  const withTwins = (list: readonly TargetName[]): TargetName[] =>
    list.flatMap((target) => {
      const twin = twinOf(target);
      return twin ? [target, twin] : [target];
    });
  return all
    .map((scenario) => ({ ...scenario, targets: withTwins(scenario.targets) }))
    .filter((scenario) => !only || only.some((key) => scenario.id === key || scenario.id.startsWith(key)))
    .map((scenario) =>
      targets
        ? {
            ...scenario,
            targets: scenario.targets.filter(
              (target) => targets.includes(target) || targets.includes(target.replace(/-b$/, '') as TargetName),
            ),
          }
        : scenario,
    )
    .filter((scenario) => scenario.targets.length > 0);
}
