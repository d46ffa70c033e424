import { isRealtimeError } from '@oxidite/protocol';
import {
  eventually,
  type RedisServer,
  hasRedisServer,
  requireService,
  startRedis,
  withDeadline,
} from '@oxidite/test-utils';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisBroker, createRedisBroker } from '../src/index';
import { Collector } from './support/collector';

const KEEP = { size: 100, maxAge: 60_000 };
const json = (value: unknown) => ({ json: JSON.stringify(value) });

describe.skipIf(!requireService('redis-server', hasRedisServer()))('RedisBroker resilience', () => {
  let redis: RedisServer;
  const open: RedisBroker[] = [];
  const broker = (options: Partial<Parameters<typeof createRedisBroker>[0]> = {}): RedisBroker => {
    const created = createRedisBroker({ redis: redis.url, connectTimeout: 500, ...options });
    open.push(created);
    return created;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
    await redis.start();
  });
  afterAll(() => redis?.stop());

  it('rejects promptly with "broker unavailable" while Redis is down, then works again and resubscribes', async () => {
    const errors: unknown[] = [];
    const [a, b] = [broker({ onError: (e) => errors.push(e) }), broker({ onError: (e) => errors.push(e) })];
    const seen = new Collector();
    await b.subscribe('resilience', seen);
    await a.publish('resilience', json({ i: 1 }), KEEP);
    await seen.messageCount(1);

    await redis.kill();
    const started = Date.now();
    const failure = await a.publish('resilience', json({ i: 2 }), KEEP).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isRealtimeError(failure) && failure.code === 'internal' && failure.message).toBe('broker unavailable');
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(a.history('resilience', undefined, 10)).rejects.toThrow('broker unavailable');
    await expect(a.members('resilience')).rejects.toThrow('broker unavailable');

    await redis.start();
    // The restarted server (no persistence) lost everything: the topic starts a new epoch.
    const after = await eventually(() => a.publish('resilience', json({ i: 3 }), KEEP), 'a publish after restart');
    expect(after.offset.seq).toBe(1);
    // B's subscriber connection resubscribed by itself (ioredis autoResubscribe).
    await eventually(async () => {
      const next = seen.messages.length;
      await a.publish('resilience', json({ probe: true }), KEEP);
      await seen.messageCount(next + 1, 1_000);
    }, 'delivery to B after restart');
  });

  it('reads back what its subscriber missed as soon as the command connection is back, not a retry later', async () => {
    const errors: unknown[] = [];
    // The command connection is the test's own, so it can be down while the subscriber is up.
    const command = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const admin = new Redis(redis.url);
    try {
      // A retry a minute away: only the command connection's `ready` can bring the catch-up back in time.
      const b = broker({ redis: command, connectTimeout: 60_000, onError: (e) => errors.push(e) });
      const a = broker();
      const seen = new Collector();
      await b.subscribe('catch-up', seen);
      await a.publish('catch-up', json({ i: 1 }), KEEP);
      await seen.messageCount(1);

      command.disconnect();
      // The subscriber connection drops, misses i = 2, comes back and tries to read i = 2 back.
      await admin.client('KILL', 'TYPE', 'pubsub');
      await a.publish('catch-up', json({ i: 2 }), KEEP);
      await eventually(async () => {
        expect(await admin.pubsub('NUMSUB', 'oxidite:ch:{catch-up}')).toEqual(['oxidite:ch:{catch-up}', 1]);
        expect(errors.some((e) => isRealtimeError(e) && e.message === 'broker unavailable')).toBe(true);
      }, 'the subscriber back and its catch-up refused');
      expect(seen.messages).toHaveLength(1);

      await command.connect();
      await seen.messageCount(2, 10_000);
      expect(seen.messages.map((m) => m.offset.seq)).toEqual([1, 2]);
    } finally {
      command.disconnect();
      admin.disconnect();
    }
  });

  it('waits for the first connection instead of failing a command issued right away', async () => {
    const fresh = broker();
    const message = await fresh.publish('early', json({ ok: true }), KEEP);
    expect(message.offset.seq).toBe(1);
  });

  it('forgets the members of a node whose heartbeat key expired, and announces them as leaves', async () => {
    const prefix = `crash${Date.now()}:`;
    const [a, b] = [broker({ prefix }), broker({ prefix })];
    const seen = new Collector();
    await b.subscribe('room', seen);
    await a.join('room', { client: 'on-a' });
    await b.join('room', { client: 'on-b' });
    expect((await b.members('room')).length).toBe(2);
    // Simulate a crash of A: its heartbeat key expires (deleted here instead of waiting for the TTL).
    const admin = new Redis(redis.url);
    try {
      const nodeKeys = await admin.keys(`${prefix}node:*`);
      expect(nodeKeys).toHaveLength(2);
      for (const key of nodeKeys) {
        const owners = await admin.hgetall(`${prefix}presence:{room}`);
        const ownsA = Object.values(owners).some(
          (v) => v === `${key.slice(`${prefix}node:`.length)}\n{"client":"on-a"}`,
        );
        if (ownsA) await admin.del(key);
      }
    } finally {
      admin.disconnect();
    }
    expect(await b.members('room')).toEqual([{ client: 'on-b' }]);
    await seen.until(() => seen.presence.some((c) => c.leaves.some((m) => m.client === 'on-a')), 'leave of on-a');
  });

  it('announces the leaves of a crashed node within a bounded time, without a members() call', async () => {
    const prefix = `sweep${Date.now()}:`;
    // Heartbeats every 100 ms: a node silent for 300 ms is dead, its members gone within ~400 ms.
    const [a, b] = [broker({ prefix, heartbeatInterval: 100 }), broker({ prefix, heartbeatInterval: 100 })];
    const seen = new Collector();
    await b.subscribe('room', seen);
    await a.join('room', { client: 'on-a' });
    await seen.until(() => seen.presence.some((c) => c.joins.some((m) => m.client === 'on-a')), 'join of on-a');
    // A crash: no leave is sent, A's heartbeat just stops (close() quits without leaving).
    await a.close();
    await seen.until(
      () => seen.presence.some((c) => c.leaves.some((m) => m.client === 'on-a')),
      'leave of on-a',
      5_000,
    );
  });

  it('close() quits both connections and leaves nothing running', async () => {
    const closing = createRedisBroker({ redis: redis.url });
    await closing.subscribe('x', new Collector());
    await withDeadline(closing.close(), 2_000, 'close');
  });
});
