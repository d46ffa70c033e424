import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../src/index';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** Attack table of issue #14 item 7: broker state from unique-topic churn. */
describe('topic state from churn (issue #14 item 7)', () => {
  it('subscribe + unsubscribe of unique topics: each topic is released at once, not at a 60 s sweep', async () => {
    const broker = createMemoryBroker();
    const server = t.track(await startTestServer({ broker }));
    const client = await t.connect(server.url);
    let most = 0;
    for (let i = 0; i < 60; i++) {
      const topic = `room:churn${i}`;
      expect(await client.subscribe(topic)).toMatchObject({ type: 'subscribed' });
      client.send({ type: 'unsubscribe', id: client.id(), topic });
      await client.next('unsubscribed', (e) => e.topic === topic);
      client.send({ type: 'ping' });
      await client.next('pong'); // the broker unsubscribe runs after the answer: let it settle
      most = Math.max(most, broker.topicCount);
    }
    expect(most).toBeLessThanOrEqual(2);
    await broker.close();
  });

  it('publishing to unique topics without history or subscribers keeps at most maxIdleTopics states', async () => {
    const broker = createMemoryBroker({ maxIdleTopics: 10 });
    const server = t.track(await startTestServer({ broker }));
    const client = await t.connect(server.url);
    for (let i = 0; i < 50; i++) {
      client.send({ type: 'publish', id: i, topic: `nohist:${i}`, data: { n: i } });
      await client.next('ack', (e) => e.id === i);
    }
    expect(broker.topicCount).toBe(10);
    await broker.close();
  });

  it('unique-topic churn per connection is rate limited: rate_limited with retryAfter, others served', async () => {
    const broker = createMemoryBroker();
    const server = t.track(
      await startTestServer({
        broker,
        security: { rateLimits: { subscribesPerConnection: { capacity: 20, refillPerSecond: 0.001 } } },
      }),
    );
    const churner = await t.connect(server.url);
    const answers: string[] = [];
    for (let i = 0; i < 25; i++) {
      const topic = `room:c${i}`;
      const answer = await churner.subscribe(topic);
      answers.push(answer.type === 'error' ? answer.code : answer.type);
      if (answer.type === 'subscribed') churner.send({ type: 'unsubscribe', id: churner.id(), topic });
    }
    expect(answers.slice(0, 20).every((a) => a === 'subscribed')).toBe(true);
    expect(answers.slice(20)).toEqual(Array(5).fill('rate_limited'));
    const limited = churner.received.find((e) => e.type === 'error' && e.code === 'rate_limited');
    expect(limited).toMatchObject({ retryAfter: expect.any(Number) });
    const bystander = await t.connect(server.url);
    expect(await bystander.subscribe('room:other')).toMatchObject({ type: 'subscribed' });
    await broker.close();
  });
});
