import { describe, expect, it } from 'vitest';
import { RawClient } from '../support/raw-client';
import { type SuiteEnvelope, transports } from './drivers';
import { useSuiteResources } from './suite-resources';

const s = useSuiteResources();
const messages = (received: readonly SuiteEnvelope[], topic = 'numbers') =>
  received.filter((e) => e.type === 'message' && e.topic === topic) as unknown as {
    offset: string;
    data: { n: number };
  }[];
const ns = (received: readonly SuiteEnvelope[]) => messages(received).map((m) => m.data.n);
const seqOf = (offset: string) => Number(offset.slice(offset.lastIndexOf(':') + 1));

/** One behaviour suite, run over every transport (graphql-ws runs one suite over each adapter). */
describe.each(transports)('transport suite: $name', (driver) => {
  it('subscribes, then delivers what is published, with its offset', async () => {
    const server = await s.server(driver);
    const client = await s.open(driver, server, ['numbers']);
    expect(client.received[0]).toMatchObject({ type: 'subscribed', topic: 'numbers', recovered: true });
    const { offset } = await server.rt.publish('numbers', { n: 1 });
    await client.until((r) => messages(r).length === 1, 'the message');
    expect(messages(client.received)[0]).toMatchObject({ offset, data: { n: 1 } });
  });

  it('recovers with since: exactly the missed messages, in order, once', async () => {
    const server = await s.server(driver);
    const first = await s.open(driver, server, ['numbers']);
    for (let n = 1; n <= 3; n++) await server.rt.publish('numbers', { n });
    await first.until((r) => messages(r).length === 3, 'three messages');
    const last = messages(first.received)[2]?.offset as string;
    first.disconnect();
    for (let n = 4; n <= 9; n++) await server.rt.publish('numbers', { n });
    const second = await s.open(driver, server, ['numbers'], [last]);
    await second.until((r) => messages(r).length === 6, 'the six missed messages');
    expect(second.received.find((e) => e.type === 'subscribed')).toMatchObject({ recovered: true });
    expect(ns(second.received)).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('says recovered: false when the gap is beyond history', async () => {
    const server = await s.server(driver);
    await server.rt.publish('numbers', { n: 1 });
    const client = await s.open(driver, server, ['numbers'], ['gone:5']);
    expect(client.received.find((e) => e.type === 'subscribed')).toMatchObject({ recovered: false });
  });

  it('keeps per-topic order: 300 back-to-back publishes arrive in offset order, gap-free', async () => {
    const server = await s.server(driver);
    const client = await s.open(driver, server, ['numbers']);
    await Promise.all(Array.from({ length: 300 }, (_, i) => server.rt.publish('numbers', { n: i + 1 })));
    await client.until((r) => messages(r).length === 300, '300 messages');
    const seqs = messages(client.received).map((m) => seqOf(m.offset));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    expect(ns(client.received)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('delivers rt.broadcast, serialized once, to subscribed and unsubscribed connections alike', async () => {
    const server = await s.server(driver);
    const client = await s.open(driver, server, ['numbers']);
    const other = await RawClient.connect(server.url);
    try {
      expect(server.rt.broadcast({ notice: 'maintenance' })).toEqual({ sent: 2, failed: 0 });
      await client.until((r) => r.some((e) => e.type === 'broadcast'), 'the broadcast');
      expect(client.received.find((e) => e.type === 'broadcast')).toMatchObject({ data: { notice: 'maintenance' } });
      expect(await other.next('broadcast')).toMatchObject({ data: { notice: 'maintenance' } });
    } finally {
      other.ws.terminate();
    }
  });

  it('announces presence changes of the topic', async () => {
    const server = await s.server(driver);
    const client = await s.open(driver, server, ['lobby:1']);
    const other = await RawClient.connect(server.url);
    try {
      await other.subscribe('lobby:1');
      const welcome = other.received[0] as { session: string };
      await client.until(
        (r) => r.some((e) => e.type === 'presence' && JSON.stringify(e.joins).includes(welcome.session)),
        'the join',
      );
    } finally {
      other.ws.terminate();
    }
  });

  it('answers a subscription past maxSubscriptions with limit_exceeded, and keeps the others', async () => {
    const server = await s.server(driver, { maxSubscriptions: 1 });
    const client = await s.open(driver, server, ['numbers', 'chat']);
    expect(client.received.find((e) => e.type === 'subscribed')).toMatchObject({ topic: 'numbers' });
    expect(client.received.find((e) => e.type === 'error')).toMatchObject({ code: 'limit_exceeded', topic: 'chat' });
    await server.rt.publish('numbers', { n: 1 });
    await client.until((r) => messages(r).length === 1, 'the message');
  });
});
