import { defineTopics, type StandardSchemaV1 } from '@oxidite/protocol';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { ServerConfig } from '../shared/ipc';
import { BENCH_TOPIC, REPLAY_TOPIC, STORM_TOPICS, type StormTopic } from '../shared/targets';
import type { BenchPayload, BenchServer } from './bench-server';

/**
 * The storm restarts the server into 10,000 reconnecting clients: Node's default backlog (511)
 * dropped SYNs for 1–3 s. The server's default, passed explicitly: a base build that predates the
 * option (`--server-module`) ignores it and listens with 511, so an A/B shows the difference.
 */
const LISTEN_BACKLOG = 4096;

/** The zod schema of the benchmark payload. */
export const BenchPayloadSchema = z.object({ n: z.number(), t: z.number(), p: z.string() });

/** A Standard Schema that accepts anything unchanged: isolates transport costs from validation. */
const noopSchema: StandardSchemaV1<BenchPayload, BenchPayload> = {
  '~standard': { version: 1, vendor: 'oxidite-bench', validate: (value) => ({ value: value as BenchPayload }) },
};

/** The reconnect storm's topics: history kept (in Redis, with the Redis broker) for recovery. */
function stormTopics<S>(
  schema: S,
): Record<StormTopic, { readonly schema: S; readonly history: { size: number; maxAge: number } }> {
  const topic = { schema, history: { size: 1_000, maxAge: 3_600_000 } };
  return Object.fromEntries(STORM_TOPICS.map((name) => [name, topic])) as Record<StormTopic, typeof topic>;
}

/**
 * `createRealtimeServer` on its own HTTP server (WebSocket on /ws, SSE on /events), with the
 * security limits lifted so that one address may open thousands of connections and send freely,
 * and the per-connection queues raised so that the generator's bounded lag never trips the
 * slow-consumer close. Everything else is the production preset.
 */
export async function startOxiditeServer(config: ServerConfig, payloadPad: string): Promise<BenchServer> {
  const { createRealtimeServer }: typeof import('@oxidite/server') = await import(
    config.serverModule ? pathToFileURL(config.serverModule).href : '@oxidite/server'
  );
  const schema = config.schema === 'zod' ? BenchPayloadSchema : noopSchema;
  const topics = defineTopics({
    [BENCH_TOPIC]: { schema, ...(config.latencyBudget ? { latencyBudget: config.latencyBudget } : {}) },
    [REPLAY_TOPIC]: { schema, history: { size: config.replayHistory, maxAge: 3_600_000 } },
    ...stormTopics(schema),
  });
  const broker = config.redisUrl
    ? (await import('@oxidite/redis')).createRedisBroker({ redis: config.redisUrl })
    : undefined;
  const rt = createRealtimeServer({
    topics,
    broker,
    maxConnections: 1_000_000,
    broadcastCapacity: 100_000,
    maxQueuedBytes: 256 * 1024 * 1024,
    sseBufferSize: 100_000,
    ...(config.heartbeatMs ? { heartbeatInterval: config.heartbeatMs, connectionTimeout: config.heartbeatMs } : {}),
    security: {
      rateLimits: { connectionsPerAddress: false, messagesPerConnection: false, publishesPerUser: false },
      maxConnectionsPerAddress: 1_000_000,
    },
  });
  rt.rpc('echo', (data) => data);
  let failures = 0;
  const { port } = await rt.listen(config.port ?? 0, '127.0.0.1', { backlog: LISTEN_BACKLOG });

  return {
    port,
    publish(n, t) {
      rt.publish(BENCH_TOPIC, { n, t, p: payloadPad }).catch(() => {
        failures++;
      });
    },
    connections: () => rt.stats().subscriptions,
    async prefill(count) {
      let first = '';
      for (let n = 1; n <= count; n++) {
        const { offset } = await rt.publish(REPLAY_TOPIC, { n, t: 0, p: payloadPad });
        if (n === 1) first = offset;
      }
      // Resume from just before the first message: every one of them is "missed".
      return `${first.slice(0, first.lastIndexOf(':'))}:0`;
    },
    async publishNumbered(names, from, to) {
      for (let n = from; n <= to; n++) {
        await Promise.all(names.map((topic) => rt.publish(topic as StormTopic, { n, t: 0, p: payloadPad })));
      }
    },
    counters() {
      const stats = rt.stats();
      return {
        publishFailures: failures,
        slowConsumersClosed: stats.slowConsumersClosed,
        dropped: stats.dropped,
        messagesOut: stats.messagesOut,
      };
    },
    async close() {
      await rt.close();
      await broker?.close();
    },
  };
}
