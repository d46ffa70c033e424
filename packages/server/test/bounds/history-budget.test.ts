import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../../src/index';

const retention = { size: 100, maxAge: 600_000 };
const payload = (n: number) => ({ json: JSON.stringify({ n, pad: 'x'.repeat(1_000) }) });

describe('the memory broker holds history within a server-wide budget (issue #25)', () => {
  it('history over 2,000 unique topics never exceeds maxHistoryBytes; the newest topics keep theirs', async () => {
    const broker = createMemoryBroker({ maxHistoryBytes: 200_000, maxIdleTopics: 100 });
    let most = 0;
    for (let i = 0; i < 2_000; i++) {
      broker.publishSync(`t:${i}`, payload(i), retention);
      most = Math.max(most, broker.historyBytes);
    }
    expect(most).toBeLessThanOrEqual(200_000);
    expect(broker.topicCount).toBeLessThan(300); // ≤ ~170 with history + 100 idle
    expect((await broker.history('t:1999', undefined, 10)).messages).toHaveLength(1);
    const evicted = await broker.history('t:0', { epoch: 'gone', seq: 1 }, 10);
    expect(evicted.recovered).toBe(false);
    await broker.close();
  });

  it('one hot topic within its own retention is trimmed oldest first, and stays gap-free', async () => {
    const broker = createMemoryBroker({ maxHistoryBytes: 50_000 });
    for (let i = 0; i < 100; i++) broker.publishSync('hot', payload(i), retention);
    const { messages } = await broker.history('hot', undefined, 100);
    expect(broker.historyBytes).toBeLessThanOrEqual(50_000);
    expect(messages.length).toBeGreaterThan(10);
    const seqs = messages.map((m) => m.offset.seq);
    expect(seqs).toEqual(seqs.map((_, i) => 100 - seqs.length + 1 + i));
    await broker.close();
  });
});

describe('released topics and positions', () => {
  const listener = { onMessage: () => {}, onPresence: () => {} };

  it('a topic released with nothing published keeps its epoch: a client holding <epoch>:0 recovers', async () => {
    const broker = createMemoryBroker();
    await broker.subscribe('t', listener);
    const { position } = await broker.history('t', undefined, 0);
    await broker.unsubscribe('t');
    expect(broker.topicCount).toBe(0);
    broker.publishSync('t', payload(1), retention);
    const recovered = await broker.history('t', position, 10);
    expect(recovered).toMatchObject({ recovered: true, messages: [{ offset: { seq: 1 } }] });
    await broker.close();
  });

  it('a topic forgotten with a position comes back in a new epoch: old positions are not recovered', async () => {
    const broker = createMemoryBroker({ maxIdleTopics: 1 });
    const first = broker.publishSync('nohist:a', payload(1), { size: 0, maxAge: 0 });
    broker.publishSync('nohist:b', payload(2), { size: 0, maxAge: 0 }); // evicts nohist:a's position
    const again = broker.publishSync('nohist:a', payload(3), { size: 0, maxAge: 0 });
    expect(again.offset.epoch).not.toBe(first.offset.epoch);
    expect((await broker.history('nohist:a', first.offset, 10)).recovered).toBe(false);
    await broker.close();
  });
});
