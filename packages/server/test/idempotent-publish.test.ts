import { encodeBinaryFrame } from '@oxidite/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client';
import { startTestServer, type TestServer } from './support/test-server';

// Issue #20: a publish carrying a message id (client) or idempotency key (server SDK) is published
// once within the dedupe window; a repeat is acknowledged with the first offset.

let server: TestServer<any> | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});
async function connect(headers?: Record<string, string>): Promise<RawClient> {
  const client = await RawClient.connect(server!.url, headers ? { headers } : {});
  clients.push(client);
  return client;
}

/** Publishes with a message id and waits for its answer. */
async function publish(client: RawClient, n: number, messageId: string | undefined) {
  const id = client.id();
  client.send({ type: 'publish', id, topic: 'numbers', data: { n }, messageId });
  return client.next('ack', (e) => e.id === id);
}

/** The `n` of every message received on `numbers`, once a last marker publish arrived (so nothing is still in flight). */
async function received(subscriber: RawClient, publisher: RawClient): Promise<number[]> {
  await publish(publisher, -1, undefined);
  await subscriber.next('message', (e) => (e.data as { n: number }).n === -1);
  return subscriber
    .messages('numbers')
    .map((m) => (m.data as { n: number }).n)
    .filter((n) => n !== -1);
}

describe('idempotent client publishes (messageId)', () => {
  it('acks a repeated message id with the first offset and publishes it once', async () => {
    server = await startTestServer();
    const [subscriber, publisher] = [await connect(), await connect()];
    await subscriber.subscribe('numbers');
    const first = await publish(publisher, 1, 'm-1');
    const repeat = await publish(publisher, 1, 'm-1');
    const next = await publish(publisher, 2, 'm-2');
    expect(repeat.offset).toBe(first.offset);
    expect(next.offset).not.toBe(first.offset);
    expect(await received(subscriber, publisher)).toEqual([1, 2]);
    expect(server.rt.stats().published).toBe(3);
  });

  it('acknowledges a resend of a published message even past the publish rate limit (its first ack was lost)', async () => {
    // A new user's finding: resends after a cut spent rate tokens, were refused with rate_limited,
    // and the client rejected publishes that had been published; an app retry then duplicated them.
    server = await startTestServer({
      security: { rateLimits: { publishesPerUser: { capacity: 2, refillPerSecond: 0.001 } } },
    });
    const before = await connect();
    const first = await publish(before, 1, 'lost-ack-1');
    await publish(before, 2, 'lost-ack-2');
    await before.close();
    const after = await connect(); // the bucket is empty: any new publish is refused
    const resend = await publish(after, 1, 'lost-ack-1');
    expect(resend).toMatchObject({ type: 'ack', offset: first.offset });
    const id = after.id();
    after.send({ type: 'publish', id, topic: 'numbers', data: { n: 3 }, messageId: 'new-3' });
    expect(await after.next('error', (e) => e.id === id)).toMatchObject({ code: 'rate_limited' });
    expect(server.rt.stats().published).toBe(2);
    expect(server.rt.stats().rateLimited).toBe(1);
  });

  it('recognises the repeat on a new connection of the same (anonymous) publisher', async () => {
    server = await startTestServer();
    const subscriber = await connect();
    await subscriber.subscribe('numbers');
    const before = await connect();
    const first = await publish(before, 1, 'cut-1');
    await before.close();
    const after = await connect();
    expect((await publish(after, 1, 'cut-1')).offset).toBe(first.offset);
    expect(await received(subscriber, after)).toEqual([1]);
  });

  it('deduplicates binary publishes too (the id travels in the frame header)', async () => {
    server = await startTestServer();
    const [subscriber, publisher] = [await connect(), await connect()];
    await subscriber.subscribe('files');
    const frame = encodeBinaryFrame({ type: 'publish', id: 1, topic: 'files', messageId: 'b-1' }, new Uint8Array([7]));
    publisher.send(frame);
    const first = await publisher.next('ack', (e) => e.id === 1);
    publisher.send(
      encodeBinaryFrame({ type: 'publish', id: 2, topic: 'files', messageId: 'b-1' }, new Uint8Array([7])),
    );
    expect((await publisher.next('ack', (e) => e.id === 2)).offset).toBe(first.offset);
    publisher.send(encodeBinaryFrame({ type: 'publish', id: 3, topic: 'files' }, new Uint8Array([8])));
    await publisher.next('ack', (e) => e.id === 3);
    await subscriber.next('binary', (e) => e.data[0] === 8);
    expect(subscriber.received.filter((e) => e.type === 'binary').map((e) => [...e.data])).toEqual([[7], [8]]);
  });

  it("keeps users' message ids apart: one user cannot pre-empt another's", async () => {
    server = await startTestServer({ auth: ({ req }) => ({ id: String(req.headers['x-user']) }) });
    const [ann, bob] = [await connect({ 'x-user': 'ann' }), await connect({ 'x-user': 'bob' })];
    const fromAnn = await publish(ann, 1, 'same');
    const fromBob = await publish(bob, 2, 'same');
    expect(fromBob.offset).not.toBe(fromAnn.offset);
  });

  it('refuses a malformed message id with `invalid`, keeping the connection', async () => {
    server = await startTestServer();
    const publisher = await connect();
    publisher.send({ type: 'publish', id: 1, topic: 'numbers', data: { n: 1 }, messageId: 'has space' });
    expect(await publisher.next('error', (e) => e.id === 1)).toMatchObject({ code: 'invalid' });
    expect(await publish(publisher, 2, 'ok')).toMatchObject({ type: 'ack' });
  });
});

describe('idempotent server publishes (rt.publish idempotencyKey)', () => {
  it('returns the original offset for a repeat and publishes once', async () => {
    server = await startTestServer();
    const subscriber = await connect();
    await subscriber.subscribe('numbers');
    const first = await server.rt.publish('numbers', { n: 1 }, { idempotencyKey: 'order-17' });
    const repeat = await server.rt.publish('numbers', { n: 1 }, { idempotencyKey: 'order-17' });
    expect(first.isDuplicate).toBe(false);
    expect(repeat).toEqual({ offset: first.offset, isDuplicate: true });
    expect(await received(subscriber, await connect())).toEqual([1]);
  });

  it('never confuses a client message id with a server key', async () => {
    server = await startTestServer();
    const publisher = await connect();
    const fromClient = await publish(publisher, 1, 'order-18');
    const fromServer = await server.rt.publish('numbers', { n: 2 }, { idempotencyKey: 'order-18' });
    expect(fromServer.isDuplicate).toBe(false);
    expect(fromServer.offset).not.toBe(fromClient.offset);
  });

  it.each([[''], ['x'.repeat(257)], [42]])('rejects the idempotency key %j with `invalid`', async (key) => {
    server = await startTestServer();
    await expect(server.rt.publish('numbers', { n: 1 }, { idempotencyKey: key as string })).rejects.toMatchObject({
      code: 'invalid',
    });
  });
});
