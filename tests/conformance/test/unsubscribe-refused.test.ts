import { createRealtimeServer } from '@oxidite/server';
import { createTestServer, RawClient } from '@oxidite/testing';
import { expect, it } from 'vitest';
import { fixtureTopics } from './support/server-under-test';

/**
 * PROTOCOL.md §2.1: an `unsubscribe` refused by the connection's message rate is answered
 * `error` `rate_limited` with its id, and the subscription stays (the client retries). Needs a
 * server with a tiny message rate: the reference server only.
 */
it.skipIf(process.env['CONFORMANCE_WS_URL'] !== undefined)(
  'a rate-limited `unsubscribe`: `error rate_limited` with its id, and the subscription stays',
  async () => {
    const rt = createRealtimeServer({
      topics: fixtureTopics,
      security: { rateLimits: { messagesPerConnection: { capacity: 2, refillPerSecond: 0.001 } } },
    });
    await using server = await createTestServer(rt);
    const client = await RawClient.connect(server.url);
    try {
      expect(await client.subscribe('chat:refused')).toMatchObject({ type: 'subscribed' }); // frame 1
      client.send({ type: 'ping' }); // frame 2: the bucket is empty now
      client.send({ type: 'unsubscribe', id: 40, topic: 'chat:refused' });
      expect(await client.next('error', (e) => e.id === 40)).toMatchObject({ code: 'rate_limited' });
      await rt.publish('chat:refused', { text: 'still here' });
      expect(await client.next('message')).toMatchObject({ topic: 'chat:refused', data: { text: 'still here' } });
    } finally {
      client.ws.terminate();
    }
  },
);
