/**
 * The hub over HTTP: publish throughput with keep-alive requests, and the end-to-end latency from
 * an HTTP publish to a subscribed WebSocket client (`@oxidite/client`). The hub runs as users run
 * it (its CLI, in a child process, default config); publisher and subscriber share this process,
 * so both ends of a latency read one monotonic clock.
 *
 *   node dist/hub.js [--messages 2000] [--concurrency 16] [--latency 200]
 *
 * Bounded: at most 100,000 messages, and every wait has a deadline.
 */
import { createClient } from '@oxidite/client';
import { WebSocket } from 'ws';
import { startHub } from './hub-bench/hub-process';
import { createHttpPublisher } from './hub-bench/http-publisher';
import { monoMs, waitFor } from './shared/clock';

const API_KEY = 'bench-key';
const DELIVERY_TIMEOUT_MS = 30_000;

function option(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name}: an integer from 1 to ${max}`);
  return value;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const messages = option('messages', 2_000, 100_000);
  const concurrency = option('concurrency', 16, 256);
  const latencyCount = option('latency', 200, 10_000);
  const hub = await startHub(API_KEY);
  const any = { '~standard': { version: 1 as const, vendor: 'bench', validate: (value: unknown) => ({ value }) } };
  const client = createClient({ url: `ws://127.0.0.1:${hub.port}/ws`, topics: { 'bench:{phase}': any }, WebSocket });
  const publisher = createHttpPublisher(hub.port, API_KEY, concurrency);
  try {
    let received = 0;
    const latencies: number[] = [];
    const throughput = client.subscribe('bench:throughput', () => {
      received++;
    });
    const latency = client.subscribe('bench:latency', (data) => {
      latencies.push(monoMs() - (data as { t: number }).t);
    });
    await Promise.all([throughput.ready, latency.ready]);

    // Throughput: `concurrency` requests in flight until `messages` are published; first to a topic
    // nobody reads (the HTTP path alone, and JIT warm-up), then to the subscribed one.
    const publishAll = async (topic: string): Promise<number> => {
      let next = 0;
      const at = monoMs();
      const worker = async () => {
        while (next < messages) {
          const n = next++;
          await publisher.publish(topic, { n });
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return monoMs() - at;
    };
    const unread = await publishAll('bench:unread');
    const started = monoMs();
    const published = await publishAll('bench:throughput');
    if (!(await waitFor(() => received === messages, DELIVERY_TIMEOUT_MS))) {
      throw new Error(`delivered ${received} of ${messages}`);
    }
    const delivered = monoMs() - started;

    // Latency: one publish at a time, HTTP request start → message in the client's handler.
    const requestTimes: number[] = [];
    for (let i = 0; i < latencyCount; i++) {
      const t = monoMs();
      await publisher.publish('bench:latency', { t });
      requestTimes.push(monoMs() - t);
      if (!(await waitFor(() => latencies.length === i + 1, DELIVERY_TIMEOUT_MS)))
        throw new Error('latency message lost');
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const requests = [...requestTimes].sort((a, b) => a - b);
    const result = {
      messages,
      concurrency,
      publishPerSecondNoSubscriber: Math.round(messages / (unread / 1000)),
      publishPerSecond: Math.round(messages / (published / 1000)),
      deliveredPerSecond: Math.round(messages / (delivered / 1000)),
      latencyMs: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) },
      httpRequestMs: { p50: percentile(requests, 50), p99: percentile(requests, 99) },
    };
    process.stdout.write(
      `${JSON.stringify(result, (_k, v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v), 2)}\n`,
    );
  } finally {
    client.close();
    publisher.close();
    await hub.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`hub bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
