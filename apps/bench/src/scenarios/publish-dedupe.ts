import { openMany } from '../generator/fleet';
import { openPublishClient, type PublishClient } from '../generator/publish-clients';
import { openCpuWindow } from '../harness/cpu-window';
import type { ServerProcess } from '../harness/server-process';
import { sleep } from '../shared/clock';
import { BENCH_TOPIC } from '../shared/targets';
import { type RunContext, type Scenario, withServer } from './scenario';

const WARMUP_MS = 300;
/** Publishes in flight per client. */
const WINDOW = 16;

/**
 * The cost of the dedupe window on publish throughput (issue #20): `clients` raw sockets publish
 * to one topic flat out, acked, first without message ids, then on the same server with a fresh
 * `messageId` on every publish (each one checked against, and added to, the topic's window, which
 * fills to its 10,000-key bound within the first phase and then evicts one key per publish). No
 * subscribers: the publish path alone. Phases run without, with, with, without (ABBA), so drift
 * such as JIT warm-up cancels out; the ratios are with ids over without.
 */
export function publishDedupeScenario(clients: number, measuredMs: number): Scenario {
  return {
    id: `dedupe-${clients}`,
    title: `publish with vs without message ids (dedupe window), ${clients} publishers, ${WINDOW} in flight each`,
    targets: ['oxidite'],
    baseline: undefined,
    metrics: [
      { key: 'plainRate', label: 'publishes / s without ids', better: 'higher' },
      { key: 'idsRate', label: 'publishes / s with ids', better: 'higher' },
      { key: 'rateRatio', label: 'throughput with / without', better: 'higher' },
      { key: 'plainCpu', label: 'server CPU µs / publish without ids', better: 'lower' },
      { key: 'idsCpu', label: 'server CPU µs / publish with ids', better: 'lower' },
      { key: 'cpuRatio', label: 'server CPU with / without', better: 'lower' },
    ],
    run: (target, context) =>
      withServer(target, context, async (server) => {
        const plainA = await measure(server, context, clients, measuredMs, false);
        const idsA = await measure(server, context, clients, measuredMs, true);
        const idsB = await measure(server, context, clients, measuredMs, true);
        const plainB = await measure(server, context, clients, measuredMs, false);
        const plain = { rate: (plainA.rate + plainB.rate) / 2, cpu: (plainA.cpu + plainB.cpu) / 2 };
        const ids = { rate: (idsA.rate + idsB.rate) / 2, cpu: (idsA.cpu + idsB.cpu) / 2 };
        return {
          plainRate: plain.rate,
          idsRate: ids.rate,
          rateRatio: ids.rate / plain.rate,
          plainCpu: plain.cpu,
          idsCpu: ids.cpu,
          cpuRatio: ids.cpu / plain.cpu,
        };
      }),
  };
}

async function measure(
  server: ServerProcess,
  context: RunContext,
  clients: number,
  measuredMs: number,
  withIds: boolean,
): Promise<{ rate: number; cpu: number }> {
  const connected: PublishClient[] = [];
  const data = { n: 0, t: 0, p: 'x'.repeat(context.options.payloadBytes) };
  const url = `ws://127.0.0.1:${server.port}/ws`;
  try {
    const open = await openMany(
      async () => {
        const name = `${withIds ? 'i' : 'p'}${connected.length}`;
        connected.push(await openPublishClient(url, BENCH_TOPIC, data, { withIds, name }));
      },
      clients,
      context.options.concurrency,
      60_000,
    );
    if (open.opened < clients) throw new Error(`only ${open.opened}/${clients} connected (${open.firstError})`);
    const acked = () => connected.reduce((sum, client) => sum + client.acked, 0);
    for (const client of connected) client.start(WINDOW);
    await sleep(WARMUP_MS);
    const before = acked();
    const close = await openCpuWindow(server);
    await sleep(measuredMs);
    const cpu = await close();
    const done = acked() - before;
    for (const client of connected) client.stop();
    const failed = connected.reduce((sum, client) => sum + client.failed, 0);
    if (failed > 0) throw new Error(`${failed} publishes refused`);
    return { rate: done / cpu.seconds, cpu: (cpu.serverCpu / done) * 1e6 };
  } finally {
    for (const client of connected) client.close();
  }
}
