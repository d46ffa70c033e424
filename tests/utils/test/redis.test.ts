import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type RedisServer, hasRedisServer, pingRedis, requireService, startRedis } from '../src/index';

/** Sends one inline command over a raw socket and returns the first reply line. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
  });
}

describe.skipIf(!requireService('redis-server', hasRedisServer()))('startRedis', () => {
  const started: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
  });

  it('starts on a free loopback port and answers PING', async () => {
    const redis = await startRedis();
    started.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await pingRedis(redis.port)).toBe(true);
    expect(await command(redis.port, 'SET k v')).toBe('+OK');
    expect(await command(redis.port, 'CONFIG GET bind')).toBe('*2');
  });

  it('stops, restarts on the same port (empty: no persistence), and survives kill()', async () => {
    const redis = await startRedis();
    started.push(redis);
    await command(redis.port, 'SET k v');
    await redis.stop();
    expect(await pingRedis(redis.port, 300)).toBe(false);

    await redis.start();
    expect(await pingRedis(redis.port)).toBe(true);
    expect(await command(redis.port, 'EXISTS k')).toBe(':0');

    await redis.kill();
    expect(await pingRedis(redis.port, 300)).toBe(false);
    await redis.start();
    expect(await pingRedis(redis.port)).toBe(true);

    await redis[Symbol.asyncDispose]();
    expect(await pingRedis(redis.port, 300)).toBe(false);
  });

  it('fails with the server output when redis-server cannot start', async () => {
    await expect(startRedis({ args: ['--no-such-option', 'x'] })).rejects.toThrow(/exited .*before answering PING/s);
  });
});
