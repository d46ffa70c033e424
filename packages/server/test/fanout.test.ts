import { SUBPROTOCOL } from '@oxidite/protocol';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** A lean subscriber: counts `message` envelopes and checks their order, nothing else. */
function leanSubscriber(url: string, topic: string, expected: number) {
  const ws = new WebSocket(url, [SUBPROTOCOL]);
  const seen: number[] = [];
  const done = new Promise<number[]>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const envelope = JSON.parse(data.toString()) as { type: string; data?: { n: number } };
      if (envelope.type === 'welcome') ws.send(JSON.stringify({ type: 'subscribe', id: 1, topic }));
      if (envelope.type === 'message') {
        seen.push((envelope.data as { n: number }).n);
        if (seen.length === expected) resolve(seen);
      }
    });
  });
  const subscribed = new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      if (data.toString().startsWith('{"type":"subscribed"')) resolve();
    });
  });
  return { ws, done, subscribed };
}

describe('fan-out', () => {
  it('1,000 concurrent clients on one topic all receive every message, in order', async () => {
    // All clients share 127.0.0.1, so the per-address connection limits are lifted for this test.
    const server = t.track(
      await startTestServer({
        security: { rateLimits: { connectionsPerAddress: false }, maxConnectionsPerAddress: 2_000 },
      }),
    );
    const count = 1_000;
    const messages = 20;
    const subscribers = Array.from({ length: count }, () => leanSubscriber(server.url, 'numbers', messages));
    try {
      await Promise.all(subscribers.map((s) => s.subscribed));
      for (let n = 1; n <= messages; n++) await server.rt.publish('numbers', { n });
      const results = await Promise.all(subscribers.map((s) => s.done));
      const expected = Array.from({ length: messages }, (_, i) => i + 1);
      for (const seen of results) expect(seen).toEqual(expected);
      expect(server.rt.stats().published).toBe(messages);
    } finally {
      for (const s of subscribers) s.ws.terminate();
    }
  }, 60_000);

  it('closes a slow consumer with 1013 without holding its backlog, and keeps serving others', async () => {
    const server = t.track(await startTestServer({ broadcastCapacity: 20, maxQueuedBytes: 1 << 20 }));
    const healthy = await t.connect(server.url);
    const slow = await t.connect(server.url);
    await healthy.subscribe('chat');
    await slow.subscribe('chat');
    const disconnected = new Promise<void>((resolve) => server.rt.on('disconnect', () => resolve()));
    // Stop reading at the TCP level: the kernel buffers fill, then the server's queue.
    const slowSocket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    slowSocket.pause();
    const text = 'x'.repeat(1_900);
    let published = 0;
    while (server.rt.stats().slowConsumersClosed === 0 && published < 20_000) {
      await server.rt.publish('chat', { text });
      published++;
      // Let sockets be read between publishes (a chain of awaits alone never yields to I/O).
      await new Promise((resolve) => setImmediate(resolve));
    }
    await disconnected;
    expect(server.rt.stats().slowConsumersClosed).toBe(1);
    expect(server.rt.stats().connections.websocket).toBe(1);
    slowSocket.resume();
    // The close frame queues behind the backlog, so the cut (1006) may come first.
    expect([1013, 1006]).toContain((await slow.closed).code);
    await server.rt.publish('chat', { text: 'after' });
    await healthy.next('message', (m) => (m.data as { text: string }).text === 'after', 10_000);
  }, 60_000);
});
