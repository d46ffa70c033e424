import { createMemoryBroker } from '@oxidite/server';
import { hasRedisServer, type RedisServer, requireService, startRedis } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBroker } from '../src/index';
import { runExactlyOnceScenario, type ScenarioResult } from './support/exactly-once-scenario';

// Issue #20, done when: through the fault-injecting proxy, 20 clients each publish 1..N while
// connections are cut at random, half of the cuts between a publish and its ack; every
// subscriber receives every value exactly once, in each publisher's order.

const CLIENTS = 20;
const PER_CLIENT = 20;
const CUTS = 6;
const SEED = Number(process.env.EXACTLY_ONCE_SEED ?? 20);

function expectExactlyOnce(result: ScenarioResult): void {
  const expected = Array.from({ length: PER_CLIENT }, (_, i) => i + 1);
  expect(result.cutsDone).toBe(2 * CUTS);
  expect(result.duplicates).toBeGreaterThanOrEqual(CUTS); // every lost ack was resent, and recognised
  expect(result.appended).toBe(CLIENTS * PER_CLIENT);
  for (const [subscriber, byPublisher] of result.received.entries()) {
    for (const [publisher, values] of byPublisher.entries()) {
      expect(values, `subscriber ${subscriber}, publisher ${publisher}`).toEqual(expected);
    }
  }
  for (const seqs of result.ackedSeqs) {
    expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as number))).toBe(true);
  }
}

describe('exactly-once publishing under random cuts', () => {
  it(`one node (memory broker): ${CLIENTS} clients × ${PER_CLIENT} values, ${2 * CUTS} cuts`, async () => {
    const result = await runExactlyOnceScenario({
      brokers: [createMemoryBroker()],
      clients: CLIENTS,
      perClient: PER_CLIENT,
      cuts: CUTS,
      isMoving: false,
      seed: SEED,
    });
    expectExactlyOnce(result);
  }, 60_000);
});

describe.skipIf(!requireService('redis-server', hasRedisServer()))('exactly-once publishing over Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it(`two nodes, every publisher moved to the other node at each cut: ${CLIENTS} clients × ${PER_CLIENT} values`, async () => {
    const brokers = [createRedisBroker({ redis: redis.url }), createRedisBroker({ redis: redis.url })];
    try {
      const result = await runExactlyOnceScenario({
        brokers,
        clients: CLIENTS,
        perClient: PER_CLIENT,
        cuts: CUTS,
        isMoving: true,
        seed: SEED,
      });
      expectExactlyOnce(result);
    } finally {
      await Promise.all(brokers.map((broker) => broker.close()));
    }
  }, 60_000);
});
