import { createMemoryBroker, type PublishedMessage } from '@oxidite/server';
import { tapPublishes } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { connect, createCondition, nextState, startProxy, startServer } from './support/harness';

// Issue #20: a publish resolves once, with its offset, whatever happened to the connection in
// between; the server publishes it once.

/** A server whose broker reports each publish (appended or repeated) to `onPublished`. */
async function tappedServer(onPublished: (message: PublishedMessage) => void = () => {}) {
  const appended: number[] = [];
  let duplicates = 0;
  const changed = createCondition();
  const broker = tapPublishes(createMemoryBroker(), (message) => {
    if (message.isDuplicate) duplicates++;
    else appended.push((JSON.parse(message.payload.json ?? '{}') as { n: number }).n);
    changed.notify();
    onPublished(message);
  });
  const server = await startServer({ broker });
  return { server, appended, duplicates: () => duplicates, changed };
}

const seqOf = (offset: string) => Number(offset.split(':')[1]);

describe('exactly-once publish', () => {
  it('resolves once with the first offset when the cut comes between the publish and its ack', async () => {
    let cut = (): void => {};
    const { server, appended, duplicates } = await tappedServer(() => cut());
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    await client.ready;
    cut = () => {
      cut = () => {};
      proxy.cut(); // the message is in the stream; the ack will never reach the client
    };
    const away = nextState(client, 'reconnecting');
    const result = client.publish('numbers', { n: 1 });
    await away;
    expect(seqOf((await result).offset)).toBe(1);
    expect(appended).toEqual([1]);
    expect(duplicates()).toBe(1); // it was resent, and recognised
    expect(seqOf((await client.publish('numbers', { n: 2 })).offset)).toBe(2);
  });

  it('resends unacknowledged publishes in their original order, ahead of those made while away', async () => {
    const { server, appended } = await tappedServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url);
    await client.ready;
    proxy.stall(); // these frames are lost on the way
    const sent = [1, 2, 3].map((n) => client.publish('numbers', { n }));
    proxy.refuse(true);
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    const queued = [4, 5].map((n) => client.publish('numbers', { n }));
    proxy.restore();
    const offsets = (await Promise.all([...sent, ...queued])).map((r) => seqOf(r.offset));
    expect(offsets).toEqual([1, 2, 3, 4, 5]);
    expect(appended).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes the same path for a queued publish whose ack is lost', async () => {
    let cut = (): void => {};
    const { server, appended, duplicates } = await tappedServer(() => cut());
    const proxy = await startProxy(server.port);
    proxy.refuse(true);
    const client = connect(proxy.url);
    const queued = client.publish('numbers', { n: 7 });
    cut = () => {
      cut = () => {};
      proxy.cut();
    };
    proxy.refuse(false);
    expect(seqOf((await queued).offset)).toBe(1);
    expect(appended).toEqual([7]);
    expect(duplicates()).toBe(1);
  });

  it('resends past the offline queue bound: a resend is never refused as queue_full', async () => {
    const { server, appended, changed } = await tappedServer();
    const proxy = await startProxy(server.port);
    const client = connect(proxy.url, { queue: { maxSize: 1 } });
    await client.ready;
    proxy.stall();
    const sent = [1, 2, 3].map((n) => client.publish('numbers', { n }));
    const away = nextState(client, 'reconnecting');
    proxy.cut();
    await away;
    proxy.restore();
    await expect(Promise.all(sent)).resolves.toHaveLength(3);
    await changed.until(() => appended.length === 3, 'three appended');
    expect(appended).toEqual([1, 2, 3]);
  });

  it("publishes a caller's own messageId once: a retry after a timeout gets the first offset", async () => {
    const { server, appended, duplicates } = await tappedServer();
    const client = connect(server.url);
    await client.ready;
    const first = await client.publish('numbers', { n: 1 }, { messageId: 'order-42' });
    // The caller could not tell whether it went through (say it timed out): it retries with the id.
    const retry = await client.publish('numbers', { n: 1 }, { messageId: 'order-42' });
    expect(retry).toEqual(first);
    expect(appended).toEqual([1]);
    expect(duplicates()).toBe(1);
    await expect(
      client.publish('numbers', { n: 2 }, { messageId: 'order-42', atMostOnce: true }),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(client.publish('numbers', { n: 3 }, { messageId: 'not an id' })).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(appended).toEqual([1]);
  });
});
