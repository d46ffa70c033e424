import { eventually, type RedisServer, hasRedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type NodeProcess, assertBuilt, startNodeProcess } from './support/node-process';
import { RawClient } from './support/raw-client';

// Issue 9: two real server processes (test/support/node.mjs, on the built packages) sharing one
// redis-server, each with the Redis broker and the Redis rate limiter (5 publishes per user, with
// practically no refill). Each test uses its own users, so each has its own publish budget.

describe.skipIf(!requireService('redis-server', hasRedisServer()))('two server processes on one Redis', () => {
  let redis: RedisServer;
  const nodes: NodeProcess[] = [];
  const clients: RawClient[] = [];
  let a: NodeProcess;
  let b: NodeProcess;

  const connect = async (node: NodeProcess, user: string): Promise<RawClient> => {
    const client = await RawClient.connect(node.url(user));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    assertBuilt();
    redis = await startRedis();
    await Promise.all([0, 1].map(async () => nodes.push(await startNodeProcess(redis.url))));
    [a, b] = nodes as [NodeProcess, NodeProcess];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await redis.start(); // after a failed crash test
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await redis?.stop();
  });

  it('delivers what a client publishes on node B to a client on node A', async () => {
    const [reader, writer] = [await connect(a, 'reader-1'), await connect(b, 'writer-1')];
    expect(await reader.subscribe('room:1')).toMatchObject({ type: 'subscribed', recovered: true });
    for (let n = 1; n <= 3; n++) expect(await writer.publish('room:1', { n })).toMatchObject({ type: 'ack' });
    for (let n = 1; n <= 3; n++) expect((await reader.next('message')).data).toEqual({ n });
  });

  it('recovers exactly the missed messages of a client that moves from node A to node B', async () => {
    const [writerA, writerB] = [await connect(a, 'writer-2a'), await connect(b, 'writer-2b')];
    const onA = await connect(a, 'mover');
    await onA.subscribe('room:2');
    await writerB.publish('room:2', { n: 1 });
    const last = await onA.next('message');
    await onA.close();
    for (let n = 2; n <= 4; n++) expect(await writerA.publish('room:2', { n })).toMatchObject({ type: 'ack' });

    const onB = await connect(b, 'mover');
    expect(await onB.subscribe('room:2', { since: last.offset })).toMatchObject({
      type: 'subscribed',
      recovered: true,
    });
    const missed = [await onB.next('message'), await onB.next('message'), await onB.next('message')];
    expect(missed.map((m) => m.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    await writerB.publish('room:2', { n: 5 });
    expect((await onB.next('message')).data).toEqual({ n: 5 }); // live after history, no duplicates
    expect(onB.messages('room:2').map((m) => m.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
  });

  it('holds the publish rate limit of a user across both nodes', async () => {
    const [onA, onB] = [await connect(a, 'limited'), await connect(b, 'limited')];
    const results = [];
    for (let n = 1; n <= 5; n++) results.push(await (n % 2 === 1 ? onA : onB).publish('room:3', { n }));
    expect(results.map((r) => r.type)).toEqual(['ack', 'ack', 'ack', 'ack', 'ack']);
    for (const client of [onB, onA]) {
      const refused = await client.publish('room:3', { n: 6 });
      expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', topic: 'room:3' });
      expect(refused.type === 'error' && refused.retryAfter).toBeGreaterThan(900_000); // one token at 0.001/s
    }
    const someoneElse = await connect(b, 'unlimited');
    expect(await someoneElse.publish('room:3', { n: 7 })).toMatchObject({ type: 'ack' });
  });

  it('survives a redis-server crash: publishes fail with an error, nothing crashes, then it all resumes', async () => {
    const [watcher, writer] = [await connect(a, 'watcher'), await connect(b, 'writer-4')];
    await watcher.subscribe('room:4');
    expect(await writer.publish('room:4', { n: 1 })).toMatchObject({ type: 'ack' });
    const before = await watcher.next('message');

    await redis.kill();
    expect(await writer.publish('room:4', { n: 2 })).toMatchObject({
      type: 'error',
      code: 'internal',
      message: 'publish failed',
    });
    // Both processes are up, and both connections open and answering.
    expect([a.isRunning(), b.isRunning()]).toEqual([true, true]);
    for (const client of [watcher, writer]) {
      client.send({ type: 'ping' });
      await client.next('pong');
    }

    await redis.start();
    // Publishing works once the node has reconnected. An attempt that fails after the limiter
    // answered costs a token, and a user has 5 here: each attempt publishes as a user of its own,
    // or a slow reconnect would spend them and the rest would spin on refusals.
    let publisher = 0;
    await eventually(async () => {
      const reply = await (await connect(b, `writer-4-${++publisher}`)).publish('room:4', { n: 3 });
      if (reply.type !== 'ack') throw new Error(`${reply.code}: ${reply.message}`);
    }, 'a publish after the restart');
    // Redis lost the stream: a resubscribe from before the crash is told so, not silently resumed.
    const returning = await connect(a, 'returning');
    const resumed = await eventually(async () => {
      const reply = await returning.subscribe('room:4', { since: before.offset });
      if (reply.type !== 'subscribed') throw new Error(`${reply.code}: ${reply.message}`);
      return reply;
    }, 'a resubscribe after the restart');
    expect(resumed.recovered).toBe(false);
    // Live fan-out from B to A is back too (node A's Pub/Sub connection resubscribed by itself).
    // Each attempt publishes as a user of its own: one user has 5 publishes here (0.001/s), and a
    // shared probe spent them in 5 s, then spun on refusals until the frame limit cut it.
    let attempt = 0;
    await eventually(
      async () => {
        const probe = await connect(b, `writer-4b-${++attempt}`);
        expect(await probe.publish('room:4', { n: 4 })).toMatchObject({ type: 'ack' });
        await returning.next('message', (m) => (m.data as { n: number }).n === 4, 1_000);
      },
      'delivery to node A after the restart',
      // A bound, not a timing claim: node A's Pub/Sub connection comes back on ioredis's own
      // backoff (up to 2 s between attempts); 4 s was too short once on a loaded CI run.
      15_000,
    );
    expect([a.isRunning(), b.isRunning()]).toEqual([true, true]);
  });

  it('shuts both processes down cleanly on SIGTERM', async () => {
    expect(await Promise.all(nodes.map((node) => node.stop()))).toEqual([0, 0]);
  });
});
