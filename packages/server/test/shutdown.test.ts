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

describe('rt.close() with connection requests still being admitted (outside run 3)', () => {
  /** A WebSocket upgrade offering oxidite.v1 on a raw socket; resolves with what the server answers. */
  async function pendingUpgrade(port: number): Promise<{ socket: Socket; answer: Promise<string> }> {
    const { connect } = await import('node:net');
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect', 5_000);
    socket.write(
      'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Protocol: oxidite.v1\r\n\r\n',
    );
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
    return { socket, answer };
  }

  it('an auth hook that never answers holds neither close() nor the socket: the request gets 503', async () => {
    let asked!: () => void;
    const hookCalled = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const rt = createRealtimeServer({
      topics: testTopics,
      closeGrace: 100,
      auth: () => {
        asked();
        return new Promise(() => {});
      },
    });
    const { port } = await rt.listen(0);
    const { answer } = await pendingUpgrade(port);
    await withDeadline(hookCalled, 5_000, 'the auth hook to be called');
    await withDeadline(rt.close(), 5_000, 'rt.close()');
    expect(await withDeadline(answer, 5_000, 'the pending request to be answered')).toMatch(
      /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\nserver shutting down\n$/,
    );
  });

  it('an auth hook that answers after close() began admits nobody: no connection opens on a closing server', async () => {
    let admitLate: ((principal: { id: string }) => void) | undefined;
    let called!: () => void;
    const hookCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const rt = createRealtimeServer({
      topics: testTopics,
      closeGrace: 100,
      auth: () =>
        new Promise<{ id: string }>((resolve) => {
          admitLate = resolve;
          called();
        }),
    });
    const { port } = await rt.listen(0);
    const { answer } = await pendingUpgrade(port);
    await withDeadline(hookCalled, 5_000, 'the auth hook to be called');
    const closing = rt.close();
    admitLate?.({ id: 'late' });
    await withDeadline(closing, 5_000, 'rt.close()');
    expect(await withDeadline(answer, 5_000, 'the pending request to be answered')).toMatch(/^HTTP\/1\.1 503 /);
    expect(rt.stats().connections).toEqual({ websocket: 0, sse: 0 });
  });
});
