import { decodeServerEnvelope, defineTopics } from '@oxidite/protocol';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import type { RawClient } from './support/raw-client';
import { RawClient as Client } from './support/raw-client';
import { useTestResources } from './support/clients';
import { checkSseText, openRawSse } from './support/sse-oracle';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** Every envelope a client received, re-checked with the protocol's own client decoder. */
function undecodable(client: RawClient): string[] {
  return client.received
    .filter((e) => e.type !== 'binary')
    .map((e) => decodeServerEnvelope(JSON.stringify(e)))
    .flatMap((r) => (r.ok ? [] : [r.error.message]));
}

describe("the server's output passes the protocol's decoder (issue #25)", () => {
  it('SSE: errors about invalid topic names do not echo them into `topic`', async () => {
    const server = t.track(await startTestServer());
    const query = ['has space', 'a'.repeat(300), 'chat\nevent: close', 'chat'].map(encodeURIComponent).join('&topic=');
    const sse = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=${query}`);
    await sse.until((text) => text.includes('event: subscribed'));
    expect(sse.text.match(/event: error/g)).toHaveLength(3);
    expect(checkSseText(sse.text)).toEqual([]);
    sse.close();
  });

  it('WebSocket: a filter reason longer than the protocol allows is cut, not sent as is', async () => {
    const server = t.track(await startTestServer({ filter: () => ({ reject: 'é'.repeat(5_000) }) }));
    const client = await t.connect(server.url);
    client.send({ type: 'publish', id: 1, topic: 'chat', data: { text: 'x' } });
    await client.next('error', (e) => e.id === 1);
    expect(undecodable(client)).toEqual([]);
  });

  it('a principal id longer than 256 characters is refused at admission: 4403 / HTTP 403; the room stays usable', async () => {
    const long = 'u'.repeat(257);
    const server = t.track(
      await startTestServer({
        auth: ({ req }) => ({ id: req.headers['x-user'] === 'long' ? long : 'ann' }),
      }),
    );
    const mallory = t.adopt(new Client(server.url, { headers: { 'x-user': 'long' } }));
    const closed = await mallory.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/user id/);
    const sse = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=room:1`, {
      headers: { 'x-user': 'long' },
    });
    expect(sse.status).toBe(403);
    sse.close();
    const ann = await t.connect(server.url, { headers: { 'x-user': 'ann' } });
    expect(await ann.subscribe('room:1')).toMatchObject({ type: 'subscribed', presence: [{ user: 'ann' }] });
    expect(undecodable(ann)).toEqual([]);
  });

  it('a principal id with a control character (a newline in a JWT `sub`) is refused at admission: 4403', async () => {
    const server = t.track(await startTestServer({ auth: () => ({ id: 'ann\nadmin' }) }));
    const closed = await t.adopt(new Client(server.url)).closed;
    expect([closed.code, closed.reason]).toEqual([4403, 'user id has a control character']);
  });

  it('SSE: a stream whose token expires gets no `refresh` (it cannot answer); it ends with close 4401', async () => {
    const server = t.track(await startTestServer({ auth: () => ({ id: 'eve', expiresAt: Date.now() + 300 }) }));
    const sse = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=chat`);
    await sse.until((text) => text.includes('event: close'));
    expect(sse.text).toContain('"code":4401');
    expect(sse.text).not.toContain('refresh');
    expect(checkSseText(sse.text)).toEqual([]);
  });
});

describe('values nested deeper than clients decode are never sent (they were dropped by every client)', () => {
  const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)]);
  const anything = z.unknown();
  const topics = defineTopics({ deep: anything });

  it('rt.publish refuses a payload clients could not decode with invalid; 31 levels pass', async () => {
    const server = t.track(await startTestServer({ topics }));
    await expect(server.rt.publish('deep', nest(40))).rejects.toMatchObject({ code: 'invalid' });
    const client = await t.connect(server.url);
    await client.subscribe('deep');
    await server.rt.publish('deep', nest(31));
    await client.next('message');
    expect(undecodable(client)).toEqual([]);
  });

  it('a client publish a deeper inbound limit let in is refused with invalid, not relayed', async () => {
    const server = t.track(await startTestServer({ topics, maxDepth: 64 }));
    const client = await t.connect(server.url);
    await client.subscribe('deep');
    client.send({ type: 'publish', id: 9, topic: 'deep', data: nest(40) });
    expect(await client.next('error', (e) => e.id === 9)).toMatchObject({ code: 'invalid' });
    expect(client.messages('deep')).toEqual([]);
  });

  it('an RPC reply too deep answers internal (and is reported), not a reply the client drops', async () => {
    const errors: unknown[] = [];
    const server = t.track(await startTestServer());
    server.rt.on('error', (error) => errors.push(error));
    server.rt.rpc('deep', () => nest(40));
    server.rt.rpc('deepLater', async () => nest(40));
    const client = await t.connect(server.url);
    client.send({ type: 'rpc', id: 1, method: 'deep', data: null });
    client.send({ type: 'rpc', id: 2, method: 'deepLater', data: null });
    for (const id of [1, 2]) expect(await client.next('error', (e) => e.id === id)).toMatchObject({ code: 'internal' });
    expect(errors).toHaveLength(2);
    expect(undecodable(client)).toEqual([]);
  });

  it('rt.broadcast throws invalid before sending anything', async () => {
    const server = t.track(await startTestServer());
    const client = await t.connect(server.url);
    expect(() => server.rt.broadcast(nest(40))).toThrow(expect.objectContaining({ code: 'invalid' }));
    client.send({ type: 'ping' });
    await client.next('pong');
    expect(client.received.filter((e) => e.type === 'broadcast')).toEqual([]);
  });
});

describe('app values the protocol cannot carry as they are', () => {
  it('rt.broadcast(undefined) and an RPC reply that is a function arrive as null, not as envelopes missing `data`', async () => {
    const server = t.track(await startTestServer());
    server.rt.rpc('odd', () => (() => 1) as unknown as string);
    const client = await t.connect(server.url);
    server.rt.broadcast(undefined);
    await client.next('broadcast');
    client.send({ type: 'rpc', id: 1, method: 'odd', data: null });
    await client.next('reply', (e) => e.id === 1);
    expect(undecodable(client)).toEqual([]);
  });
});
