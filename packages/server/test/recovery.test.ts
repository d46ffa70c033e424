import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

describe('history and recovery', () => {
  it('recovers exactly the messages missed while disconnected, in order, once', async () => {
    const server = t.track(await startTestServer());
    const first = await t.connect(server.url);
    await first.subscribe('numbers');
    for (let n = 1; n <= 5; n++) await server.rt.publish('numbers', { n });
    const fifth = await first.next('message', (m) => (m.data as { n: number }).n === 5);
    await first.close();
    for (let n = 6; n <= 12; n++) await server.rt.publish('numbers', { n });

    const second = await t.connect(server.url);
    const subscribed = await second.subscribe('numbers', { since: fifth.offset });
    expect(subscribed).toMatchObject({ type: 'subscribed', recovered: true });
    await server.rt.publish('numbers', { n: 13 });
    await second.next('message', (m) => (m.data as { n: number }).n === 13);
    expect(second.messages('numbers').map((m) => (m.data as { n: number }).n)).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('says recovered: false when the gap is beyond history, and delivers nothing stale', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    await client.subscribe('room:1'); // history size 50
    await server.rt.publish('room:1', { n: 0 });
    const first = await client.next('message');
    await client.close();
    for (let n = 1; n <= 60; n++) await server.rt.publish('room:1', { n });
    const again = await t.connect(server.url);
    expect(await again.subscribe('room:1', { since: first.offset })).toMatchObject({ recovered: false });
    await server.rt.publish('room:1', { n: 61 });
    await again.next('message');
    expect(again.messages('room:1').map((m) => (m.data as { n: number }).n)).toEqual([61]);
  });

  it('treats an offset from another epoch (a restarted broker) as not recovered', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    expect(await client.subscribe('numbers', { since: 'otherepoch:3' })).toMatchObject({ recovered: false });
  });

  it('recovers with nothing to replay when nothing was missed', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    await client.subscribe('nohist:1');
    const { offset } = await server.rt.publish('nohist:1', { n: 1 });
    await client.close();
    const again = await t.connect(server.url);
    expect(await again.subscribe('nohist:1', { since: offset })).toMatchObject({ recovered: true, offset });
  });

  it('rewinds the most recent messages for a fresh subscriber', async () => {
    const server = t.track(await startTestServer());
    for (let n = 1; n <= 8; n++) await server.rt.publish('numbers', { n });
    const client = await t.connect(server.url);
    await client.subscribe('numbers', { rewind: 3 });
    await client.next('message', (m) => (m.data as { n: number }).n === 8);
    expect(client.messages('numbers').map((m) => (m.data as { n: number }).n)).toEqual([6, 7, 8]);
  });

  it('delivers messages published during the subscribe handshake exactly once', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    await client.subscribe('numbers');
    await server.rt.publish('numbers', { n: 1 });
    const one = await client.next('message');
    await client.close();
    const again = await t.connect(server.url);
    const id = again.id();
    again.send({ type: 'subscribe', id, topic: 'numbers', since: one.offset });
    // Publish while the handshake is in flight: each must arrive once, after `subscribed`.
    const publishes = [2, 3, 4, 5].map((n) => server.rt.publish('numbers', { n }));
    await Promise.all(publishes);
    await again.next('subscribed', (e) => e.id === id);
    await again.next('message', (m) => (m.data as { n: number }).n === 5);
    expect(again.messages('numbers').map((m) => (m.data as { n: number }).n)).toEqual([2, 3, 4, 5]);
  });

  it('replays a long gap (30,000 messages) in order, once, without tripping the slow-consumer limit', async () => {
    const server = t.track(await startTestServer());
    const first = await server.rt.publish('archive', { n: 0 });
    for (let n = 1; n <= 30_000; n++) await server.rt.publish('archive', { n });
    const client = await t.connect(server.url);
    expect(await client.subscribe('archive', { since: first.offset })).toMatchObject({ recovered: true });
    await client.next('message', (m) => (m.data as { n: number }).n === 30_000, 30_000);
    const seen = client.messages('archive').map((m) => (m.data as { n: number }).n);
    expect(seen).toHaveLength(30_000);
    expect(seen.every((n, i) => n === i + 1)).toBe(true);
    expect(server.rt.stats().slowConsumersClosed).toBe(0);
  }, 60_000);

  it('refuses a malformed offset with a typed error', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    client.send({ type: 'subscribe', id: 1, topic: 'numbers', since: 'not an offset' });
    expect(await client.next('error', (e) => e.id === 1)).toMatchObject({ code: 'invalid' });
  });
});
