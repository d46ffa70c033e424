import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

describe('connection lifecycle', () => {
  it('terminates a connection that stops answering pings', async () => {
    const server = t.track(await startTestServer({ heartbeatInterval: 50, connectionTimeout: 150 }));
    const silent = await t.connect(server.url, { autoPong: false });
    const healthy = await t.connect(server.url);
    const closed = await silent.closed;
    expect(closed.code).toBe(1006); // cut, not closed politely: the peer is presumed dead
    healthy.send({ type: 'ping' });
    await healthy.next('pong');
    expect(server.rt.stats().connections.websocket).toBe(1);
    // Counted like every close the server makes, under the code the client sees.
    expect(server.rt.stats().closes).toEqual({ 1006: 1 });
  });

  it('refuses connections beyond maxConnections with HTTP 503', async () => {
    const server = t.track(await startTestServer({ maxConnections: 2 }));
    await t.connect(server.url);
    await t.connect(server.url);
    const third = t.adopt(new RawClient(server.url));
    await expect(third.opened).rejects.toThrow('HTTP 503');
    expect(server.rt.stats().connectionsRefused).toBe(1);
  });

  it('refuses a client that does not speak oxidite.v1 with 1008 and a clear reason', async () => {
    const server = t.track(await startTestServer());
    const client = t.adopt(new RawClient(server.url, { protocols: ['something.else'] }));
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1008, reason: 'unsupported protocol: offer oxidite.v1' });
  });

  it('closes every client with 1001 on close()', async () => {
    const server = await startTestServer();
    const clients = await Promise.all([1, 2, 3].map(() => t.connect(server.url)));
    await server.close();
    const closes = await Promise.all(clients.map((c) => c.closed));
    expect(closes.map((c) => c.code)).toEqual([1001, 1001, 1001]);
  });

  it('emits connection and disconnect events', async () => {
    const server = t.track(await startTestServer());
    const seen: string[] = [];
    server.rt.on('connection', (c) => seen.push(`open:${c.transport}`));
    server.rt.on('disconnect', (c) => seen.push(`close:${c.transport}`));
    const client = await t.connect(server.url);
    const disconnected = new Promise<void>((resolve) => server.rt.on('disconnect', () => resolve()));
    await client.close();
    await disconnected;
    expect(seen).toEqual(['open:websocket', 'close:websocket']);
  });

  it('broadcasts to every connection and counts them', async () => {
    const server = t.track(await startTestServer());
    const [a, b] = [await t.connect(server.url), await t.connect(server.url)];
    expect(server.rt.broadcast({ notice: 'maintenance' })).toEqual({ sent: 2, failed: 0 });
    expect((await a.next('broadcast')).data).toEqual({ notice: 'maintenance' });
    expect((await b.next('broadcast')).data).toEqual({ notice: 'maintenance' });
  });
});

describe('protocol negotiation', () => {
  it('closes a client that offers no subprotocol with 1008 and the reason', async () => {
    const server = t.track(await startTestServer());
    const client = t.adopt(new RawClient(server.url, { protocols: [] }));
    expect(await client.closed).toEqual({ code: 1008, reason: 'unsupported protocol: offer oxidite.v1' });
  });
});
