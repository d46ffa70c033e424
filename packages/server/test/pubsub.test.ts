import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client';
import { startTestServer, type TestServer } from './support/test-server';

let server: TestServer<any> | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});
async function connect(): Promise<RawClient> {
  const client = await RawClient.connect(server!.url);
  clients.push(client);
  return client;
}

describe('subscribe and publish', () => {
  it('welcomes with session, heartbeat and limits', async () => {
    server = await startTestServer({ heartbeatInterval: 12_345 });
    const client = new RawClient(server.url);
    clients.push(client);
    const welcome = await client.next('welcome');
    expect(welcome).toMatchObject({
      protocol: 1,
      heartbeat: 12_345,
      limits: { maxPayload: 65_536, maxSubscriptions: 100 },
    });
    expect(welcome.session).toMatch(/^[a-z0-9]+$/);
  });

  it('delivers a client publish to every subscriber, with an ack carrying the offset', async () => {
    server = await startTestServer();
    const [a, b] = [await connect(), await connect()];
    expect(await a.subscribe('chat')).toMatchObject({ type: 'subscribed', topic: 'chat', recovered: true });
    expect(await b.subscribe('chat')).toMatchObject({ type: 'subscribed' });
    b.send({ type: 'publish', id: 7, topic: 'chat', data: { text: 'hi' } });
    const ack = await b.next('ack', (e) => e.id === 7);
    const [ma, mb] = await Promise.all([a.next('message'), b.next('message')]);
    expect(ma).toMatchObject({ topic: 'chat', data: { text: 'hi' }, offset: ack.offset });
    expect(mb.offset).toBe(ack.offset);
  });

  it('publishes from the server, typed and validated', async () => {
    server = await startTestServer();
    const a = await connect();
    await a.subscribe('room:1');
    const { offset } = await server.rt.publish('room:1', { n: 5 });
    expect(await a.next('message')).toMatchObject({ topic: 'room:1', offset, data: { n: 5 } });
    await expect(server.rt.publish('room:1', { n: 'x' } as never)).rejects.toMatchObject({ code: 'invalid' });
    await expect(server.rt.publish('nope' as never, {} as never)).rejects.toMatchObject({ code: 'unknown_topic' });
  });

  it('rejects a payload that fails the topic schema, and keeps the connection', async () => {
    server = await startTestServer();
    const a = await connect();
    a.send({ type: 'publish', id: 1, topic: 'chat', data: { text: 42 } });
    const error = await a.next('error', (e) => e.id === 1);
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('text');
    expect(await a.subscribe('chat')).toMatchObject({ type: 'subscribed' });
  });

  it('answers unknown topics and unsubscribes idempotently', async () => {
    server = await startTestServer();
    const a = await connect();
    expect(await a.subscribe('nope')).toMatchObject({ type: 'error', code: 'unknown_topic' });
    await a.subscribe('chat');
    a.send({ type: 'unsubscribe', id: 9, topic: 'chat' });
    await a.next('unsubscribed', (e) => e.id === 9);
    a.send({ type: 'unsubscribe', id: 10, topic: 'chat' });
    await a.next('unsubscribed', (e) => e.id === 10);
    await server.rt.publish('chat', { text: 'after' });
    a.send({ type: 'ping' });
    await a.next('pong');
    expect(a.messages('chat')).toHaveLength(0);
  });

  it('carries binary payloads in binary frames, without base64', async () => {
    server = await startTestServer();
    const a = await connect();
    await a.subscribe('files');
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await server.rt.publish('files', bytes);
    const message = await a.next('binary');
    expect([...message.data]).toEqual([...bytes]);
  });
});
