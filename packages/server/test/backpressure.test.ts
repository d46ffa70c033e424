import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();
const OFF = { rateLimits: { messagesPerConnection: false, publishesPerUser: false } } as const;

describe('inbound backpressure (issue #15, item 5)', () => {
  it('acks 2,000 publishes of 72 bytes sent back to back with rate limits off: slowed, never refused', async () => {
    const server = t.track(await startTestServer({ security: OFF }));
    const client = await t.connect(server.url);
    const frames: string[] = [];
    for (let id = 1; id <= 2_000; id++) {
      // {"type":"publish","id":…,"topic":"chat","data":{"text":"…"}} padded to 72 bytes
      const head = JSON.stringify({ type: 'publish', id, topic: 'chat', data: { text: '' } });
      frames.push(JSON.stringify({ type: 'publish', id, topic: 'chat', data: { text: 'x'.repeat(72 - head.length) } }));
    }
    expect(frames.every((f) => f.length === 72)).toBe(true);
    for (const frame of frames) client.send(frame);
    await client.next('ack', (a) => a.id === 2_000, 20_000);
    const answers = client.received.filter((e) => e.type === 'ack' || e.type === 'error');
    expect(answers.filter((e) => e.type === 'error')).toEqual([]);
    expect(answers.length).toBe(2_000);
    expect(server.rt.stats().rateLimited).toBe(0);
  });

  it('announces the cap on requests in flight in welcome.limits, and takes it as an option', async () => {
    const server = t.track(await startTestServer({ maxInflight: 8, security: OFF }));
    const client = await t.connect(server.url);
    const welcome = client.received[0];
    expect(welcome).toMatchObject({ type: 'welcome', limits: { maxInflight: 8 } });
    for (let id = 1; id <= 500; id++) client.send({ type: 'publish', id, topic: 'chat', data: { text: `${id}` } });
    await client.next('ack', (a) => a.id === 500, 20_000);
    expect(client.received.filter((e) => e.type === 'error')).toEqual([]);
  });
});
