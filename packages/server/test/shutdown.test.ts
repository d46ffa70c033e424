import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connectDeafWebSocket, once, withDeadline } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { createRealtimeServer } from '../src/index';
import { testTopics } from './support/test-server';

/** An SSE reader that does not read. */
async function stuckSseReader(port: number): Promise<Socket> {
  const req = request({ host: '127.0.0.1', port, path: '/events?topic=chat' });
  req.on('error', () => {});
  req.end();
  const [res] = (await once(req, 'response', 5_000)) as [import('node:http').IncomingMessage];
  expect(res.statusCode).toBe(200);
  res.pause();
  return res.socket;
}

const closed = (socket: Socket): Promise<void> =>
  socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));

describe('rt.close()', () => {
  it('ends within the grace whatever clients do: unresponsive sockets are cut, SSE streams ended', async () => {
    const rt = createRealtimeServer({ topics: testTopics, closeGrace: 100 });
    // The app's own HTTP server: rt.close() cannot lean on closeAllConnections() here.
    const http = createServer((req, res) => rt.handlers.events(req, res));
    rt.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const deaf = await connectDeafWebSocket(port);
    const stuck = await stuckSseReader(port);
    await withDeadline(rt.close(), 5_000, 'rt.close()');
    await withDeadline(closed(deaf), 5_000, 'the WebSocket to be cut');
    // An SSE stream left open would hold http.close() for ever.
    await withDeadline(new Promise((resolve) => http.close(resolve)), 5_000, 'http.close()');
    stuck.destroy();
    expect(rt.stats().connections).toEqual({ websocket: 0, sse: 0 });
  });

  it('does the same on its own listening server, with the default grace option accepted', async () => {
    const rt = createRealtimeServer({ topics: testTopics, closeGrace: 50 });
    const { port } = await rt.listen(0);
    const deaf = await connectDeafWebSocket(port);
    await withDeadline(rt.close(), 5_000, 'rt.close()');
    await withDeadline(closed(deaf), 5_000, 'the socket to be cut');
  });
});
