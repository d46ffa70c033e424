import { createClient, type RealtimeClient, type SubscriptionState } from '@oxidite/client';
import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer, type RealtimeServer } from '@oxidite/server';
import {
  createTcpProxy,
  hasRedisServer,
  type RedisServer,
  requireService,
  startRedis,
  type TcpProxy,
  withDeadline,
} from '@oxidite/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as z from 'zod';
import { createRedisBroker, type RedisBroker } from '../src/index';

const topics = defineTopics({
  numbers: { schema: z.object({ n: z.number().int() }), history: { size: 100, maxAge: 60_000 } },
});

/** Resolves with the first value `listen` passes to `done`; rejects after a deadline. */
function waitFor<T>(listen: (done: (value: T) => void) => () => void, what: string): Promise<T> {
  let off = (): void => {};
  const waiting = new Promise<T>((resolve) => {
    off = listen(resolve);
  });
  return withDeadline(waiting, 10_000, what).finally(() => off());
}

describe.skipIf(!requireService('redis-server', hasRedisServer()))('client resubscribe while Redis is down', () => {
  const teardown: (() => unknown)[] = [];
  afterEach(async () => {
    for (const dispose of teardown.splice(0).reverse()) await dispose();
  });

  it('retries the subscribe the server failed (internal) until Redis is back, and keeps receiving', async () => {
    const redis: RedisServer = await startRedis();
    teardown.push(() => redis.stop());
    const broker: RedisBroker = createRedisBroker({ redis: redis.url, connectTimeout: 500 });
    teardown.push(() => broker.close());
    const rt: RealtimeServer<typeof topics> = createRealtimeServer({ topics, broker });
    const { port } = await rt.listen(0, '127.0.0.1');
    teardown.push(() => rt.close());
    const proxy: TcpProxy = await createTcpProxy(port);
    teardown.push(() => proxy.close());
    const client: RealtimeClient<typeof topics> = createClient({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      topics,
      WebSocket,
      reconnect: { minDelay: 10, maxDelay: 200 },
    });
    teardown.push(() => client.close());

    const seen: number[] = [];
    let onMessage = (): void => {};
    const sub = client.subscribe('numbers', ({ n }) => {
      seen.push(n);
      onMessage();
    });
    const received = (n: number): Promise<void> => {
      const arrived = new Promise<void>((resolve) => {
        onMessage = () => seen.includes(n) && resolve();
        onMessage();
      });
      return withDeadline(arrived, 10_000, `message ${n}`);
    };
    const states: SubscriptionState[] = [];
    sub.on('state', ({ to }) => states.push(to));
    await sub.ready;
    await rt.publish('numbers', { n: 1 });
    await received(1);

    // Redis goes away while the client is cut off, so its resubscribe meets the outage.
    proxy.refuse(true);
    const away = waitFor((done) => client.on('state', ({ to }) => to === 'reconnecting' && done(undefined)), 'cut');
    proxy.cut();
    await away;
    await redis.kill();
    const retrying = waitFor(
      (done) => sub.on('state', ({ to, error }) => to === 'retrying' && done(error)),
      'retrying',
    );
    proxy.refuse(false);
    expect(await retrying).toMatchObject({ code: 'internal' });

    // Redis is back: a later retry succeeds and the subscription is live again.
    const live = waitFor((done) => sub.on('state', ({ to }) => to === 'subscribed' && done(undefined)), 'resubscribed');
    await redis.start();
    await live;
    await rt.publish('numbers', { n: 2 });
    await received(2);
    expect(seen).toEqual([1, 2]);
    // Retried (maybe more than once while Redis restarted) instead of failing for good.
    expect(states.slice(0, 3)).toEqual(['subscribed', 'subscribing', 'retrying']);
    expect(states).not.toContain('failed');
    expect(states.at(-1)).toBe('subscribed');
  });
});
