import { SUBPROTOCOL } from '@oxidite/protocol';
import { createJwtAuth } from '@oxidite/server';
import { hasRedisServer, type RedisServer, requireService, startRedis, withDeadline } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
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

  it("disconnects a user through one node's API on every node", async () => {
    const secret = 'a-test-secret-of-at-least-32-characters';
    const env = { REDIS_URL: redis.url, OXIDITE_API_KEY: KEY, OXIDITE_JWT_SECRET: secret };
    const [a, b] = [await startCli(workDir(), env), await startCli(workDir(), env)];
    try {
      const token = await createJwtAuth({ secret }).sign('ada', { expiresIn: '5m' });
      const socket = new WebSocket(`ws://127.0.0.1:${b.port}/ws`, [SUBPROTOCOL], {
        headers: { authorization: `Bearer ${token}` },
      });
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await withDeadline(new Promise((resolve) => socket.once('message', resolve)), 10_000, 'welcome');
      const answer = await fetch(`http://127.0.0.1:${a.port}/api/users/ada/disconnect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(answer.status).toBe(202);
      expect(await withDeadline(closed, 10_000, 'the close on the other node')).toBe(4403);
    } finally {
      for (const node of [a, b]) node.program.kill('SIGTERM');
      await Promise.all([a.program.exited(), b.program.exited()]);
    }
  });
});
