import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer, type RealtimeServer } from '@oxidite/server';
import {
  RawClient,
  type RedisCluster,
  analyticsStoreContract,
  eventually,
  hasRedisServer,
  pingRedis,
  requireService,
  startRedisCluster,
} from '@oxidite/test-utils';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  createRedisAnalyticsStore,
  createRedisBroker,
  createRedisConnectionCounter,
  createRedisRateLimiter,
} from '../src/index';
import { brokerContract } from './broker-contract';
import { brokerDedupeContract } from './broker-dedupe-contract';
import { Collector } from './support/collector';

const topics = defineTopics({
  // Retains all the test publishes: a gap the stream still holds is filled, never reported.
  'room:{id}': { schema: z.object({ n: z.number().int() }), history: { size: 100_000, maxAge: 60_000 } },
});
const KEEP = { size: 100, maxAge: 60_000 };
const ns = (client: RawClient, topic: string): number[] =>
  client.messages(topic).map((m) => (m.data as { n: number }).n);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Six redis-server processes in cluster mode (three masters, three replicas), made by the test
// utilities on free loopback ports and stopped after the suite.
describe.skipIf(!requireService('redis-server', hasRedisServer()))('on a Redis Cluster', () => {
  let cluster: RedisCluster;
  const cleanup: (() => Promise<unknown>)[] = [];
  const clusterInput = () => ({ cluster: cluster.nodes });

  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  afterAll(async () => {
    const ports = cluster?.nodes.map((node) => node.port) ?? [];
    await cluster?.stop();
    const answering = (await Promise.all(ports.map((port) => pingRedis(port, 200)))).filter(Boolean);
    expect(answering, 'nodes still running after stop()').toEqual([]);
  });

  brokerContract('RedisBroker on a Redis Cluster', () => {
    let now = 1_700_000_000_000;
    return {
      create: () => createRedisBroker({ redis: clusterInput(), now: () => now }),
      advance: (ms) => {
        now += ms;
      },
      isMultiNode: true,
    };
  });

  // The dedupe keys carry the topic's hash tag: check and append stay one script in one slot.
  brokerDedupeContract('RedisBroker on a Redis Cluster', () => {
    let now = 1_700_000_000_000;
    return {
      create: (dedupe) => createRedisBroker({ redis: clusterInput(), now: () => now, dedupe }),
      advance: (ms) => {
        now += ms;
      },
      isMultiNode: true,
    };
  });

  let stores = 0;
  analyticsStoreContract(
    'RedisAnalyticsStore on a Redis Cluster',
    () => createRedisAnalyticsStore({ redis: clusterInput(), prefix: `cluster${++stores}:` }),
    { uniqueVisitorsTolerance: 0.02 },
  );

  it('shares rate-limit buckets across nodes', async () => {
    const [a, b] = [
      createRedisRateLimiter({ redis: clusterInput() }),
      createRedisRateLimiter({ redis: clusterInput() }),
    ];
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    const rule = { capacity: 3, refillPerSecond: 0 };
    const key = `cluster-rate:${Date.now()}`;
    const decisions = [await a.consume(key, rule), await b.consume(key, rule), await a.consume(key, rule)];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true]);
    expect((await b.consume(key, rule)).allowed).toBe(false);
  });

  it('shares connection counts across nodes', async () => {
    const prefix = `cluster-conns${Date.now()}:`;
    const [a, b] = [
      // A heartbeat far away: the counts must arrive with the writes themselves.
      createRedisConnectionCounter({ redis: clusterInput(), prefix, heartbeatInterval: 60_000 }),
      createRedisConnectionCounter({ redis: clusterInput(), prefix, heartbeatInterval: 60_000 }),
    ];
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    a.add('10.0.0.1', 'ada');
    a.add('10.0.0.1', undefined);
    b.add('10.0.0.1', 'ada');
    await eventually(async () => {
      const counts = [await a.byAddress('10.0.0.1'), await b.byAddress('10.0.0.1'), await b.byUser('ada')];
      if (counts.join() !== '3,3,2') throw new Error(`counted ${counts.join()}`);
    }, 'the counts of both nodes');
  });

  it('subscribes with SSUBSCRIBE on the shard that owns the topic only, and publishes with SPUBLISH', async () => {
    const broker = createRedisBroker({ redis: clusterInput() });
    cleanup.push(() => broker.close());
    const seen = new Collector();
    await broker.subscribe('shard:1', seen);
    await broker.publish('shard:1', { json: '1' }, KEEP);
    await seen.messageCount(1);
    const channel = 'oxidite:ch:{shard:1}';
    const slot = Number((await cluster.cli(cluster.nodes[0]?.port as number, 'CLUSTER', 'KEYSLOT', channel)).trim());
    const masters = (await cluster.describe()).filter((node) => node.isMaster && node.slots.length > 0);
    for (const master of masters) {
      const owns = master.slots.some(([from, to]) => from <= slot && slot <= to);
      const sharded = (await cluster.cli(master.port, 'PUBSUB', 'SHARDCHANNELS')).split('\n').filter(Boolean);
      expect(sharded.includes(channel), `shard channel on ${master.port} (owner: ${owns})`).toBe(owns);
      expect((await cluster.cli(master.port, 'PUBSUB', 'CHANNELS')).trim()).toBe('');
    }
  });

  it('accepts an ioredis Cluster the application owns', async () => {
    const own = new Cluster([...cluster.nodes]);
    cleanup.push(async () => own.disconnect());
    const broker = createRedisBroker({ redis: own });
    cleanup.push(() => broker.close());
    const message = await broker.publish(`own:${Date.now()}`, { json: '1' }, KEEP);
    expect(message.offset.seq).toBe(1);
  });

  it('survives a master failover mid-stream: every client gets every message once, in order', async () => {
    const startNode = async (): Promise<{ rt: RealtimeServer<typeof topics>; url: string }> => {
      const broker = createRedisBroker({ redis: clusterInput() });
      const rt = createRealtimeServer({ topics, broker });
      cleanup.push(
        () => broker.close(),
        () => rt.close(),
      );
      const address = await rt.listen(0, '127.0.0.1');
      return { rt, url: `ws://127.0.0.1:${address.port}/ws` };
    };
    const [a, b] = [await startNode(), await startNode()];
    const clients: RawClient[] = [];
    for (let i = 0; i < 3; i++) {
      const client = await RawClient.connect(a.url);
      cleanup.push(() => client.close());
      await client.subscribe('room:failover');
      clients.push(client);
    }
    // A publish caught by the failover rejects (broker unavailable); the publisher retries it.
    let n = 0;
    const publishNext = async (): Promise<void> => {
      n++;
      await eventually(() => b.rt.publish('room:failover', { n }), `publish ${n}`, 20_000);
    };
    while (n < 50) await publishNext();
    let isFailedOver = false;
    const failover = cluster.failover('room:failover').finally(() => {
      isFailedOver = true;
    });
    while (!isFailedOver) await publishNext(); // mid-stream: the publisher never pauses
    await failover;
    const total = n + 50;
    while (n < total) await publishNext();
    for (const client of clients) {
      await client.next('message', (m) => (m.data as { n: number }).n === total, 20_000);
      expect(ns(client, 'room:failover')).toEqual(range(1, total));
    }
  });
});
