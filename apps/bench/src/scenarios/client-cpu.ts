import { fileURLToPath } from 'node:url';
import { IpcChild } from '../harness/ipc-child';
import type { ServerProcess } from '../harness/server-process';
import type { SubscriberConfig, SubscriberReport, SubscriberRequest } from '../shared/subscriber-ipc';
import { CLIENT_B_TWIN, type TargetName } from '../shared/targets';
import { type RunContext, type Scenario, withServer } from './scenario';

const SUBSCRIBER_SCRIPT = fileURLToPath(new URL('./subscriber.js', import.meta.url));
const WARMUP_MS = 500;
/**
 * At least this many messages before the window opens, whatever the rate: V8 optimizes the
 * client's receive path on background threads whose CPU counts for the process, and at a low rate
 * 0.5 s is too few messages for that to be over (at 5,000 msg/s it added ~8 µs per message).
 */
const WARMUP_MESSAGES = 20_000;
const DRAIN_TIMEOUT_MS = 30_000;
const TARGETS: readonly TargetName[] = ['oxidite-client', 'oxidite-client-noschema', 'ws-json'];

function kindOf(target: TargetName): SubscriberConfig['kind'] {
  if (target.startsWith('oxidite-client-noschema')) return 'client-noschema';
  return target.startsWith('oxidite-client') ? 'client' : 'ws-json';
}

/**
 * The client side of a fixed-rate stream (issue #18 goal 7): one subscriber, in a process of its
 * own, receives `rate` messages per second from the Oxidite server, and reports the CPU that
 * process spent per received message (socket read, decode, validate, dispatch). `@oxidite/client`
 * with the zod schema of the payload and with `validate: false`, against a raw `ws` socket that
 * `JSON.parse`s each frame; `--client-module` adds the same on another client build.
 */
export function clientCpuScenario(rate: number, ms: number): Scenario {
  return {
    id: 'client-cpu',
    title: `one subscriber process receiving ${rate.toLocaleString('en-US')} msg/s: its CPU per message`,
    targets: TARGETS,
    baseline: 'ws-json',
    metrics: [
      {
        key: 'cpu',
        label: 'subscriber CPU µs / message',
        better: 'lower',
        goals: [{ target: 'oxidite-client', max: 1.2 }],
      },
      { key: 'userCpu', label: 'of which user-mode µs / message', better: 'lower' },
      { key: 'p50', label: 'p50 ms', better: 'lower' },
      { key: 'p99', label: 'p99 ms', better: 'lower' },
      { key: 'serverCpu', label: 'server CPU µs / message', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const subscriber = await startSubscriber(target, `ws://127.0.0.1:${server.port}/ws`, context);
        try {
          await stream(server, subscriber, rate, Math.max(WARMUP_MS, (WARMUP_MESSAGES / rate) * 1000));
          const serverStart = await server.usage();
          await subscriber.request<null, SubscriberRequest>({
            op: 'mark',
            capacity: Math.ceil((rate * ms) / 1000) + 100,
          });
          const published = await stream(server, subscriber, rate, ms);
          const report = await subscriber.request<SubscriberReport, SubscriberRequest>({ op: 'report' });
          const serverEnd = await server.usage();
          const serverMicros = serverEnd.user + serverEnd.system - serverStart.user - serverStart.system;
          return {
            cpu: report.cpuMicros / report.received,
            userCpu: report.userMicros / report.received,
            p50: report.p50,
            p99: report.p99,
            serverCpu: serverMicros / published,
          };
        } finally {
          await subscriber.stop();
        }
      }),
  };
}

function startSubscriber(target: TargetName, url: string, context: RunContext): Promise<IpcChild> {
  const isTwin = Object.values(CLIENT_B_TWIN).includes(target);
  const config: SubscriberConfig = {
    kind: kindOf(target),
    url,
    clientModule: isTwin ? context.options.clientModule : undefined,
  };
  return IpcChild.start(SUBSCRIBER_SCRIPT, [], config, {
    label: `${target} subscriber`,
    profileDir: context.options.profileDir,
  });
}

/**
 * Publishes `rate` msg/s for `ms` in the server and waits until the subscriber has every one of
 * them (counted since its last mark); resolves with the number published.
 */
async function stream(server: ServerProcess, subscriber: IpcChild, rate: number, ms: number): Promise<number> {
  const published = await server.request<number>({ op: 'rate', rate, durationMs: ms }, ms + DRAIN_TIMEOUT_MS);
  const isDrained = await subscriber.request<boolean, SubscriberRequest>(
    { op: 'await', count: published, timeoutMs: DRAIN_TIMEOUT_MS },
    DRAIN_TIMEOUT_MS + 5_000,
  );
  if (!isDrained) throw new Error(`the subscriber did not receive all ${published} messages`);
  return published;
}
