import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CloseInfo } from '../../src/index';
import { type SuiteEnvelope, transports } from './drivers';
import { useSuiteResources } from './suite-resources';

const s = useSuiteResources();
const texts = (received: readonly SuiteEnvelope[]) =>
  received.filter((e) => e.type === 'message').map((e) => (e.data as { text: string }).text);

describe.each(transports)('transport suite, closes: $name', (driver) => {
  it('closes a reader that stopped reading with 1013 (slow consumer), counted, and keeps serving others', async () => {
    const server = await s.server(driver, { broadcastCapacity: 20, sseBufferSize: 20, maxQueuedBytes: 1 << 20 });
    const slow = await s.open(driver, server, ['chat']);
    const healthy = await s.open(driver, server, ['chat']);
    const disconnected = new Promise<CloseInfo>((resolve) => server.rt.on('disconnect', (_, close) => resolve(close)));
    slow.stopReading();
    let published = 0;
    while (server.rt.stats().slowConsumersClosed === 0 && published < 20_000) {
      // Random text: permessage-deflate must not shrink it to nothing.
      await server.rt.publish('chat', { text: randomBytes(1_000).toString('base64') });
      published++;
      // Paced on the healthy reader: only the stopped one falls behind (permessage-deflate would
      // otherwise fall behind the publisher on a loaded machine, for every reader).
      await healthy.until(
        (r) => r.length > published || server.rt.stats().slowConsumersClosed > 0,
        'the healthy reader',
      );
    }
    const close = await disconnected;
    expect(server.rt.stats().slowConsumersClosed).toBe(1);
    expect(server.rt.stats().closes[1013]).toBe(1);
    expect(server.rt.stats().connections[driver.transport]).toBe(1);
    slow.resumeReading();
    if (driver.transport === 'sse') {
      // The stream ends with a `close` event carrying the code, and the hub saw the same code.
      expect(await slow.closed).toEqual({ code: 1013, reason: 'slow consumer' });
      expect(close).toEqual({ code: 1013, reason: 'slow consumer' });
    } else {
      // The close frame queues behind the backlog, so the cut (1006) may come first.
      expect([1013, 1006]).toContain((await slow.closed).code);
    }
    await server.rt.publish('chat', { text: 'after' });
    await healthy.until((r) => texts(r).includes('after'), 'the message after the close');
  }, 60_000);

  it('closes every connection with 1001 on shutdown, counted by code', async () => {
    const server = await s.server(driver);
    const clients = await Promise.all([1, 2].map(() => s.open(driver, server, ['chat'])));
    await server.close();
    for (const client of clients) expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(server.rt.stats().closes).toEqual({ 1001: 2 });
  });
});
