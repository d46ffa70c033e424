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
