import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useServerUnderTest } from './support/server-under-test';

/**
 * PROTOCOL.md §1.1, §2 and §4 over a raw WebSocket: what any client written from the spec alone
 * relies on. Each test names the section it checks.
 */
const server = useServerUnderTest();
const OFFSET = /^[A-Za-z0-9_-]{1,32}:\d+$/;

describe('§1.1 / §4.1 connect', () => {
  it('a client offering oxidite.v1 gets it back, then `welcome` as the first frame', async () => {
    const ws = new WebSocket(server.wsUrl, ['oxidite.v1']);
    const [first] = await once(ws, 'message');
    expect(ws.protocol).toBe('oxidite.v1');
    expect(JSON.parse(String(first))).toEqual({
      type: 'welcome',
      protocol: 1,
      session: expect.any(String),
      heartbeat: expect.any(Number),
      limits: expect.objectContaining({ maxPayload: expect.any(Number), maxSubscriptions: expect.any(Number) }),
    });
    ws.terminate();
  });

  it('a token subprotocol is never selected or echoed', async () => {
    const ws = new WebSocket(server.wsUrl, ['oxidite.v1', 'oxidite.token.c2VjcmV0']);
    await once(ws, 'message');
    expect(ws.protocol).toBe('oxidite.v1');
    ws.terminate();
  });

  it.each([[[]], [['oxidite.v2']]])(
    'offering %j: accepted, then closed 1008 with a reason that says why',
    async (protocols) => {
      const ws = new WebSocket(server.wsUrl, protocols);
      const [code, reason] = await once(ws, 'close');
      expect([code, String(reason)]).toEqual([1008, 'unsupported protocol: offer oxidite.v1']);
    },
  );
});

describe('§2.1 requests without a subscription', () => {
  it('`ping` is answered `pong`', async () => {
    const client = await server.connect();
    client.send({ type: 'ping' });
    expect(await client.next('pong')).toEqual({ type: 'pong' });
  });

  it('`unsubscribe` is answered `unsubscribed`, even when not subscribed', async () => {
    const client = await server.connect();
    const topic = server.room();
    client.send({ type: 'unsubscribe', id: 7, topic });
    expect(await client.next('unsubscribed')).toMatchObject({ id: 7, topic });
  });
});

describe('§4.2 subscribe, §4.4 publish with acknowledgement', () => {
  it('`subscribed` names the position; a publish is acked with its offset and delivered with it', async () => {
    const [reader, writer] = [await server.connect(), await server.connect()];
    const topic = server.room();
    reader.send({ type: 'subscribe', id: 1, topic });
    const subscribed = await reader.next('subscribed');
    expect(subscribed).toMatchObject({
      id: 1,
      topic,
      offset: expect.stringMatching(OFFSET),
      recovered: expect.any(Boolean),
    });
    writer.send({ type: 'publish', id: 2, topic, data: { text: 'hi' } });
    const ack = await writer.next('ack', (e) => e.id === 2);
    const message = await reader.next('message');
    expect(message).toMatchObject({
      topic,
      offset: (ack as { offset: string }).offset,
      data: { text: 'hi' },
      ts: expect.any(Number),
    });
  });

  it('`rewind: n` sends the n newest messages after `subscribed`, in order', async () => {
    const writer = await server.connect();
    const topic = server.room();
    for (const [i, text] of ['a', 'b', 'c'].entries())
      writer.send({ type: 'publish', id: i + 1, topic, data: { text } });
    await writer.next('ack', (e) => e.id === 3);
    const reader = await server.connect();
    reader.send({ type: 'subscribe', id: 1, topic, rewind: 2 });
    await reader.next('subscribed');
    expect([(await reader.next('message')).data, (await reader.next('message')).data]).toEqual([
      { text: 'b' },
      { text: 'c' },
    ]);
  });

  it('a publish without `id` gets no answer; the message is still delivered', async () => {
    const client = await server.connect();
    const topic = server.room();
    client.send({ type: 'subscribe', id: 1, topic });
    await client.next('subscribed');
    client.send({ type: 'publish', topic, data: { text: 'fire and forget' } });
    expect((await client.next('message')).data).toEqual({ text: 'fire and forget' });
    client.send({ type: 'ping' });
    await client.next('pong');
    expect(client.received.filter((e) => e.type === 'ack')).toEqual([]);
  });
});

describe('§4.3 recovery', () => {
  it('`since` = the last offset processed: `recovered: true`, then every later message once, in order', async () => {
    const writer = await server.connect();
    const topic = server.room();
    writer.send({ type: 'publish', id: 1, topic, data: { text: 'seen' } });
    const { offset: seen } = (await writer.next('ack')) as { offset: string };
    writer.send({ type: 'publish', id: 2, topic, data: { text: 'missed 1' } });
    writer.send({ type: 'publish', id: 3, topic, data: { text: 'missed 2' } });
    await writer.next('ack', (e) => e.id === 3);
    const back = await server.connect();
    back.send({ type: 'subscribe', id: 1, topic, since: seen });
    expect(await back.next('subscribed')).toMatchObject({ recovered: true });
    expect([(await back.next('message')).data, (await back.next('message')).data]).toEqual([
      { text: 'missed 1' },
      { text: 'missed 2' },
    ]);
  });

  it('`since` of another epoch: `recovered: false`, live from `offset`', async () => {
    const client = await server.connect();
    const topic = server.room();
    client.send({ type: 'subscribe', id: 1, topic, since: 'another-epoch:5' });
    expect(await client.next('subscribed')).toMatchObject({ id: 1, recovered: false });
  });
});
