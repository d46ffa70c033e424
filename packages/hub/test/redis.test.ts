import { hasRedisServer, type RedisServer, requireService, startRedis, withDeadline } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, workDir } from './support/cli';
import { hubClient } from './support/test-hub';

const KEY = 'redis-test-key';

async function publish(port: number, text: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/api/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ topic: 'chat:lobby', data: { text } }),
  });
  expect(response.status).toBe(200);
}

describe.skipIf(!requireService('redis-server', hasRedisServer()))('two hub processes on one Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('publish to one, a client on the other receives, and recovers across a kill of its node', async () => {
    const env = { REDIS_URL: redis.url, OXIDITE_API_KEY: KEY };
    const a = await startCli(workDir(), env);
    let b = await startCli(workDir(), env);
    const portB = b.port;
    const client = hubClient(`ws://127.0.0.1:${portB}/ws`);
    try {
      const seen: string[] = [];
      let waiter: (() => void) | undefined;
      const chat = client.subscribe('chat:lobby', (m) => {
        seen.push((m as { text: string }).text);
        waiter?.();
      });
      const resets: unknown[] = [];
      chat.on('reset', (info) => resets.push(info));
      const received = (n: number) =>
        withDeadline(
          new Promise<void>((resolve) => {
            waiter = () => seen.length >= n && resolve();
            waiter();
          }),
          10_000,
          `${n} messages (got ${JSON.stringify(seen)})`,
        );
      await chat.ready;

      await publish(a.port, 'one');
      await received(1);

      b.program.kill('SIGKILL');
      await b.program.exited();
      await publish(a.port, 'two'); // while the client's node is down
      await publish(a.port, 'three');
      b = await startCli(workDir(), { ...env, PORT: String(portB) });
      await received(3);
      await publish(a.port, 'four');
      await received(4);

      expect(seen).toEqual(['one', 'two', 'three', 'four']);
      expect(resets).toEqual([]);
    } finally {
      client.close();
      for (const node of [a, b]) node.program.kill('SIGTERM');
      await Promise.all([a.program.exited(), b.program.exited()]);
    }
  });
});
