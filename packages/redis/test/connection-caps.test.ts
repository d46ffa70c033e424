import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import {
  RawClient,
  type RedisServer,
  type TcpProxy,
  createTcpProxy,
  eventually,
  hasRedisServer,
  requireService,
  startRedis,
} from '@oxidite/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createRedisConnectionCounter } from '../src/index';

const topics = defineTopics({ 'room:{id}': z.object({ n: z.number() }) });

/** A principal per `x-user` header. */
const headerAuth = ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }) => {
  const user = req.headers['x-user'];
  return typeof user === 'string' ? { id: user } : null;
};

describe.skipIf(!requireService('redis-server', hasRedisServer()))('connection caps across nodes', () => {
  let redis: RedisServer;
  let proxy: TcpProxy | undefined;
  const cleanup: (() => Promise<unknown>)[] = [];
  let prefix = '';

  const startNode = async (redisUrl: string): Promise<string> => {
    const connectionCounter = createRedisConnectionCounter({
      redis: redisUrl,
      prefix,
      heartbeatInterval: 100,
      connectTimeout: 500,
    });
    const rt = createRealtimeServer({
      topics,
      auth: headerAuth,
      security: {
        rateLimits: { connectionsPerAddress: false },
        connectionCounter,
        maxConnectionsPerAddress: 3,
        maxConnectionsPerUser: 2,
      },
    });
    cleanup.push(
      () => connectionCounter.close(),
      () => rt.close(),
    );
    const { port } = await rt.listen(0, '127.0.0.1');
    return `ws://127.0.0.1:${port}/ws`;
  };
  /** Waits until every node's writes have landed: Redis counts `count` connections of the test's address. */
  const settled = async (count: number): Promise<void> => {
    const observer = createRedisConnectionCounter({ redis: redis.url, prefix });
    try {
      await eventually(async () => {
        const seen = await observer.byAddress('127.0.0.1');
        if (seen !== count) throw new Error(`${seen} counted`);
      }, `${count} connections counted`);
    } finally {
      await observer.close();
    }
  };
  /** The HTTP status of an upgrade attempt: 101 when it opened (the socket then stays open). */
  const upgrade = async (url: string, user: string): Promise<number> => {
    const client = new RawClient(url, { headers: { 'x-user': user } });
    cleanup.push(() => client.close());
    const error = await client.opened.then(
      () => undefined,
      (e: Error) => e,
    );
    return Number(/HTTP (\d+)/.exec(error?.message ?? '')?.[1] ?? 101);
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  beforeEach(() => {
    prefix = `caps${Date.now()}:`; // a fresh set of counts per test
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await proxy?.close();
    proxy = undefined;
  });
  afterAll(() => redis?.stop());

  it('holds the per-address and per-user caps across two nodes', async () => {
    const [a, b] = [await startNode(redis.url), await startNode(redis.url)];
    expect(await upgrade(a, 'ada')).toBe(101);
    expect(await upgrade(b, 'ada')).toBe(101);
    await settled(2);
    expect(await upgrade(a, 'ada')).toBe(429); // ada's 3rd, her 2nd node
    expect(await upgrade(a, 'bob')).toBe(101);
    await settled(3);
    expect(await upgrade(b, 'carol')).toBe(429); // the address's 4th: 2 on A, 1 on B
  });

  it('stops counting the connections of a node that lost Redis (crashed) within 3 heartbeats', async () => {
    proxy = await createTcpProxy(redis.port);
    const [a, b] = [await startNode(`redis://127.0.0.1:${proxy.port}`), await startNode(redis.url)];
    expect(await upgrade(a, 'ada')).toBe(101);
    expect(await upgrade(a, 'bob')).toBe(101);
    expect(await upgrade(a, 'carol')).toBe(101);
    await settled(3);
    expect(await upgrade(b, 'dan')).toBe(429);
    // A can no longer refresh its counts: to the rest of the deployment it is gone.
    proxy.refuse(true);
    proxy.cut();
    await eventually(async () => {
      if ((await upgrade(b, 'dan')) !== 101) throw new Error('still refused');
    }, 'a connection on B once A counts no more');
  });
});
