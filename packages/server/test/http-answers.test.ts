import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createRealtimeServer } from '../src/index';
import { useTestResources } from './support/clients';
import { rawUpgrade, whenClosed } from './support/raw-socket';
import { openRawSse } from './support/sse-oracle';
import { startTestServer, testTopics } from './support/test-server';

const t = useTestResources();

/** Issue #25: every HTTP request the server handles is answered, for every method and path. */
describe('every request gets an answer', () => {
  it.each(['/ws/', '/WS', '/', '/other', '/ws?x=1/..'])(
    'an upgrade for %s → 404 and the socket is closed, counted',
    async (path) => {
      const server = t.track(await startTestServer());
      const { socket, head } = await rawUpgrade(server.port, { path });
      if (path.startsWith('/ws?')) {
        expect(head).toMatch(/^HTTP\/1.1 101/); // the query is not part of the path
        socket.destroy();
        return;
      }
      expect(head).toMatch(/^HTTP\/1.1 404/);
      await whenClosed(socket);
      expect(server.rt.stats().connectionsRefused).toBe(1);
    },
  );

  it('stray upgrades are rate limited per address like every connection attempt → 429', async () => {
    const server = t.track(
      await startTestServer({
        security: { rateLimits: { connectionsPerAddress: { capacity: 2, refillPerSecond: 0.001 } } },
      }),
    );
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { socket, head } = await rawUpgrade(server.port, { path: '/nope' });
      statuses.push(head.slice(9, 12));
      socket.destroy();
    }
    expect(statuses).toEqual(['404', '404', '429']);
  });

  it('a second upgrade handler on the same HTTP server keeps its own paths', async () => {
    const http = createServer();
    const other = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (req.url === '/other') other.handleUpgrade(req, socket, head, (ws) => ws.send('other'));
    });
    const rt = createRealtimeServer({ topics: testTopics });
    rt.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/other`);
      const [data] = await new Promise<[Buffer]>((resolve, reject) => {
        ws.once('message', (...args: [Buffer]) => resolve(args));
        ws.once('error', reject);
      });
      expect(data.toString()).toBe('other');
      ws.close();
      await t.connect(`ws://127.0.0.1:${port}/ws`);
    } finally {
      await rt.close();
      other.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('HEAD on the SSE endpoint → the stream headers, no body, never subscribed', async () => {
    const server = t.track(await startTestServer());
    const head = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=chat`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/event-stream/);
    await head.until(() => false).catch(() => undefined); // resolves when the response ended
    expect(head.text).toBe('');
    expect(server.rt.stats()).toMatchObject({ connections: { sse: 0 }, subscriptions: 0, connectionsTotal: 0 });
  });

  it.each([
    ['OPTIONS', 204],
    ['POST', 405],
    ['DELETE', 405],
    ['PROPFIND', 405],
  ])('%s on the SSE endpoint → %d with Allow', async (method, status) => {
    const server = t.track(await startTestServer());
    const answer = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=chat`, { method });
    expect(answer.status).toBe(status);
    expect(answer.headers.allow).toBe('GET, HEAD, OPTIONS');
    answer.close();
  });
});
