import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer, type RealtimeServer } from '@oxidite/server';
import {
  RawClient,
  type RedisServer,
  type TcpProxy,
  createTcpProxy,
  hasRedisServer,
  requireService,
  startRedis,
  withDeadline,
} from '@oxidite/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createRedisBroker } from '../src/index';

const topics = defineTopics({
  'room:{id}': { schema: z.object({ n: z.number().int() }), history: { size: 1_000, maxAge: 60_000 } },
  'short:{id}': { schema: z.object({ n: z.number().int() }), history: { size: 5, maxAge: 60_000 } },
});

type Server = RealtimeServer<typeof topics>;
const ns = (client: RawClient, topic: string): number[] =>
  client.messages(topic).map((m) => (m.data as { n: number }).n);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// Node A reaches Redis through a proxy that can cut its connections (its subscriber connection
// among them) while node B, connected directly, keeps publishing: Redis itself stays up.
describe.skipIf(!requireService('redis-server', hasRedisServer()))('a node whose subscriber connection drops', () => {
  let redis: RedisServer;
  let proxy: TcpProxy;
  const cleanup: (() => Promise<unknown>)[] = [];

  const startNode = async (url: string): Promise<{ rt: Server; url: string }> => {
    const broker = createRedisBroker({ redis: url, connectTimeout: 500 });
    const rt = createRealtimeServer({ topics, broker });
    cleanup.push(
      () => broker.close(),
      () => rt.close(),
    );
    const address = await rt.listen(0, '127.0.0.1');
    return { rt, url: `ws://127.0.0.1:${address.port}/ws` };
  };
  const connect = async (url: string): Promise<RawClient> => {
    const client = await RawClient.connect(url);
    cleanup.push(() => client.close());
    return client;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await proxy?.close();
  });
  afterAll(() => redis?.stop());

  it('delivers what was published while it reconnected, to every client, once, in order', async () => {
    proxy = await createTcpProxy(redis.port);
    const [a, b] = [await startNode(`redis://127.0.0.1:${proxy.port}`), await startNode(redis.url)];
    const clients = [await connect(a.url), await connect(a.url), await connect(a.url)];
    for (const client of clients) await client.subscribe('room:1');
    for (let n = 1; n <= 60; n++) {
      await b.rt.publish('room:1', { n });
      if (n === 20) {
        proxy.refuse(true);
        proxy.cut();
      }
      if (n === 40) proxy.refuse(false);
    }
    for (const client of clients) {
      await client.next('message', (m) => (m.data as { n: number }).n === 60);
      expect(ns(client, 'room:1')).toEqual(range(1, 60));
    }
  });

  it('closes its clients with 1013 when the gap is beyond retention, and they learn recovered: false', async () => {
    proxy = await createTcpProxy(redis.port);
    const [a, b] = [await startNode(`redis://127.0.0.1:${proxy.port}`), await startNode(redis.url)];
    const client = await connect(a.url);
    await client.subscribe('short:1');
    for (let n = 1; n <= 3; n++) await b.rt.publish('short:1', { n });
    const last = await client.next('message', (m) => (m.data as { n: number }).n === 3);
    proxy.refuse(true);
    proxy.cut();
    for (let n = 4; n <= 20; n++) await b.rt.publish('short:1', { n }); // only 16..20 are retained
    proxy.refuse(false);
    expect(await withDeadline(client.closed, 5_000, 'the close')).toEqual({ code: 1013, reason: 'missed messages' });
    expect(ns(client, 'short:1')).toEqual([1, 2, 3]);

    const again = await connect(a.url);
    expect(await again.subscribe('short:1', { since: last.offset })).toMatchObject({ recovered: false });
    await b.rt.publish('short:1', { n: 21 });
    await again.next('message', (m) => (m.data as { n: number }).n === 21);
    expect(ns(again, 'short:1')).toEqual([21]);
  });
});
