import { defineTopics, isRealtimeError } from '@oxidite/protocol';
import { createRealtimeServer, type RealtimeServer } from '@oxidite/server';
import {
  eventually,
  type RedisServer,
  hasRedisServer,
  requireService,
  startRedis,
  withDeadline,
} from '@oxidite/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type RedisBroker, createRedisBroker } from '../src/index';
import { RawClient } from './support/raw-client';

const topics = defineTopics({
  'room:{id}': { schema: z.object({ n: z.number().int() }), history: { size: 100, maxAge: 60_000 } },
});

interface Node {
  readonly rt: RealtimeServer<typeof topics>;
  readonly broker: RedisBroker;
  readonly url: string;
}

describe.skipIf(!requireService('redis-server', hasRedisServer()))('two server nodes on one Redis', () => {
  let redis: RedisServer;
  const nodes: Node[] = [];
  const clients: RawClient[] = [];

  const startNode = async (): Promise<Node> => {
    const broker = createRedisBroker({ redis: redis.url, connectTimeout: 500 });
    const rt = createRealtimeServer({ topics, broker });
    const address = await rt.listen(0, '127.0.0.1');
    const node = { rt, broker, url: `ws://127.0.0.1:${address.port}/ws` };
    nodes.push(node);
    return node;
  };
  const connect = async (node: Node): Promise<RawClient> => {
    const client = await RawClient.connect(node.url);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const node of nodes.splice(0)) {
      await node.rt.close();
      await node.broker.close();
    }
    await redis.start();
  });
  afterAll(() => redis?.stop());

  it('delivers what node B publishes to a client on node A', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const onA = await connect(a);
    expect(await onA.subscribe('room:1')).toMatchObject({ type: 'subscribed', recovered: true });
    for (let n = 1; n <= 5; n++) await b.rt.publish('room:1', { n });
    for (let n = 1; n <= 5; n++) expect((await onA.next('message')).data).toEqual({ n });
  });

  it('broadcasts to the connections of every node, once each (rt.broadcast through the broker)', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const [onA, onB] = [await connect(a), await connect(b)];
    const marker = await connect(b); // proves B has handled everything A sent before it
    expect(a.rt.broadcast({ notice: 'maintenance at 22:00' })).toEqual({ sent: 1, failed: 0 });
    expect((await onA.next('broadcast')).data).toEqual({ notice: 'maintenance at 22:00' });
    expect((await onB.next('broadcast')).data).toEqual({ notice: 'maintenance at 22:00' });
    b.rt.broadcast({ notice: 'from B' });
    for (const client of [onA, onB, marker]) {
      await client.next('broadcast', (e) => (e.data as { notice: string }).notice === 'from B');
    }
    expect(onA.received.filter((e) => e.type === 'broadcast')).toHaveLength(2);
    expect(onB.received.filter((e) => e.type === 'broadcast')).toHaveLength(2);
  });

  it('recovers exactly the missed messages when a client moves from node A to node B', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const onA = await connect(a);
    await onA.subscribe('room:2');
    await b.rt.publish('room:2', { n: 1 });
    const last = await onA.next('message');
    await onA.close();
    for (let n = 2; n <= 4; n++) await a.rt.publish('room:2', { n });
    const onB = await connect(b);
    expect(await onB.subscribe('room:2', { since: last.offset })).toMatchObject({
      type: 'subscribed',
      recovered: true,
    });
    const missed = [await onB.next('message'), await onB.next('message'), await onB.next('message')];
    expect(missed.map((m) => m.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    await b.rt.publish('room:2', { n: 5 });
    expect((await onB.next('message')).data).toEqual({ n: 5 }); // live after history, no duplicates
    expect(onB.messages('room:2').map((m) => m.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
  });

  it('after Redis lost a topic (a new epoch), resubscribes get that epoch from its first message, WS and SSE', async () => {
    const node = await startNode();
    const client = await connect(node);
    await client.subscribe('room:9');
    await node.rt.publish('room:9', { n: 1 });
    const before = await client.next('message');
    await client.close();

    await redis.kill();
    await redis.start(); // no persistence: the topic's keys, epoch and history are gone
    await eventually(() => node.rt.publish('room:9', { n: 101 }), 'a publish after the restart');
    for (let n = 102; n <= 103; n++) await node.rt.publish('room:9', { n });

    const again = await connect(node);
    expect(await again.subscribe('room:9', { since: before.offset })).toMatchObject({ recovered: false });
    await again.next('message', (m) => (m.data as { n: number }).n === 103);
    expect(again.messages('room:9').map((m) => (m.data as { n: number }).n)).toEqual([101, 102, 103]);

    const sse = await fetch(`${node.url.replace('ws://', 'http://').replace('/ws', '/events')}?topic=room:9`, {
      headers: { 'last-event-id': before.offset },
    });
    const reader = (sse.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('"n":103')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const data = [...text.matchAll(/^data: (\{"type":"message".*)$/gm)].map((m) => JSON.parse(m[1] as string).data.n);
    expect(data).toEqual([101, 102, 103]);
  });

  it('survives a Redis crash: publish rejects cleanly, servers stay up, then everything resumes', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const onA = await connect(a);
    await onA.subscribe('room:3');
    await b.rt.publish('room:3', { n: 1 });
    const before = await onA.next('message');

    await redis.kill();
    const failure = await b.rt.publish('room:3', { n: 2 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isRealtimeError(failure) && failure.message).toBe('broker unavailable');
    // The servers still answer: a new client connects to each, and the old one is still open.
    const stillUp = await connect(a);
    await connect(b);
    expect(onA.ws.readyState).toBe(onA.ws.OPEN);

    await redis.start();
    await eventually(() => b.rt.publish('room:3', { n: 3 }), 'a publish after the restart');
    // Redis lost its data (no persistence): the topic restarted in a new epoch. Node A cannot
    // deliver what came before in the old one, so it does not pretend to: its subscriber is
    // closed with 1013 and learns `recovered: false` on the resubscribe (issue #21).
    await expect(withDeadline(onA.closed, 5_000, 'the close of A')).resolves.toEqual({
      code: 1013,
      reason: 'missed messages',
    });
    const resumed = await stillUp.subscribe('room:3', { since: before.offset });
    await stillUp.next('message', (m) => (m.data as { n: number }).n === 3);
    await b.rt.publish('room:3', { n: 4 });
    await stillUp.next('message', (m) => (m.data as { n: number }).n === 4);
    expect(resumed).toMatchObject({ type: 'subscribed', recovered: false });
  });
});
