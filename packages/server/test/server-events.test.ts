import { describe, expect, it } from 'vitest';
import type { CloseInfo, ConnectionInfo, SubscribeInfo, UnsubscribeInfo } from '../src/index';
import { useTestResources } from './support/clients';
import { SseReader } from './support/sse-reader';
import { startTestServer, type TestServer } from './support/test-server';

const t = useTestResources();

type Seen =
  | ['subscribe', string, SubscribeInfo]
  | ['unsubscribe', string, UnsubscribeInfo]
  | ['disconnect', string, CloseInfo];

/** Records the lifecycle events of `server`, and waits for the n-th one. */
function record(server: TestServer<never>) {
  const seen: Seen[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const push = (entry: Seen): void => {
    seen.push(entry);
    for (const waiter of waiters) if (seen.length >= waiter.count) waiter.resolve();
  };
  const { rt } = server;
  rt.on('subscribe', (c: ConnectionInfo, s) => push(['subscribe', c.transport, s]));
  rt.on('unsubscribe', (c: ConnectionInfo, s) => push(['unsubscribe', c.transport, s]));
  rt.on('disconnect', (c: ConnectionInfo, close) => push(['disconnect', c.transport, close]));
  return {
    seen,
    until(count: number): Promise<void> {
      if (seen.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

describe('server events: subscribe, unsubscribe, disconnect', () => {
  it('reports WebSocket subscriptions (with recovered on a resume) and the close code and reason', async () => {
    const server = t.track(await startTestServer());
    const events = record(server as unknown as TestServer<never>);
    const client = await t.connect(server.url);
    const first = await client.subscribe('numbers');
    if (first.type !== 'subscribed') throw new Error(first.message);
    await server.rt.publish('numbers', { n: 1 });
    await client.next('message');
    await client.send({ type: 'unsubscribe', id: client.id(), topic: 'numbers' });
    await client.next('unsubscribed');
    await client.subscribe('numbers', { since: first.offset });
    await events.until(3);
    client.ws.close(4000, 'bye');
    await events.until(5);
    const [epoch] = first.offset.split(':');
    expect(events.seen).toEqual([
      ['subscribe', 'websocket', { topic: 'numbers', offset: first.offset, replayed: 0 }],
      ['unsubscribe', 'websocket', { topic: 'numbers', reason: 'request' }],
      ['subscribe', 'websocket', { topic: 'numbers', offset: `${epoch}:1`, recovered: true, replayed: 1 }],
      ['unsubscribe', 'websocket', { topic: 'numbers', reason: 'disconnect' }],
      ['disconnect', 'websocket', { code: 4000, reason: 'bye' }],
    ]);
  });

  it('reports SSE subscriptions, and 1001 when the server shuts the stream down', async () => {
    const server = await startTestServer();
    const events = record(server as unknown as TestServer<never>);
    const reader = new SseReader(`http://127.0.0.1:${server.port}/events?topic=chat`);
    try {
      await events.until(1);
      await server.close();
      await events.until(3);
      expect(
        events.seen.map(([kind, transport, info]) => [kind, transport, 'reason' in info ? info.reason : info.topic]),
      ).toEqual([
        ['subscribe', 'sse', 'chat'],
        ['unsubscribe', 'sse', 'disconnect'],
        ['disconnect', 'sse', 'server shutting down'],
      ]);
      expect(events.seen[2]?.[2]).toEqual({ code: 1001, reason: 'server shutting down' });
    } finally {
      reader.close();
    }
  });
});
