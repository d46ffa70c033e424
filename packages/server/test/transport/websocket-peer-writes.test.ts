import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { withDeadline } from '@oxidite/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { OutboundEnvelope } from '../../src/hub';
import { createStats } from '../../src/observability';
import { WebSocketPeer } from '../../src/transport/websocket-peer';
import { rawSocketOf } from '../../src/transport/ws-internals';

/** How the frame-once writer hands frames to its socket: what the kernel sees per flush. */
const servers: Server[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Writes {
  /** Buffers per `_writev` call. */
  readonly writev: number[];
  /** Bytes per `_write` call. */
  readonly write: number[];
}

/** A frame-once peer over a real socket pair, with the socket's write calls recorded. */
async function framedPeer(): Promise<{ peer: WebSocketPeer; client: WebSocket; writes: Writes }> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer();
  servers.push(http);
  const accepted = new Promise<WebSocket>((resolve) => {
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, resolve));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  clients.push(client);
  client.on('error', () => {});
  const ws = await withDeadline(accepted, 5_000, 'the upgrade');
  await withDeadline(new Promise((resolve) => client.once('open', resolve)), 5_000, 'the client open');
  const socket = rawSocketOf(ws) as Socket & {
    _write(chunk: Buffer, encoding: string, cb: () => void): void;
    _writev(chunks: { chunk: Buffer }[], cb: () => void): void;
  };
  const writes: Writes = { writev: [], write: [] };
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (chunk, encoding, cb) => {
    writes.write.push(chunk.length);
    write(chunk, encoding, cb);
  };
  socket._writev = (chunks, cb) => {
    writes.writev.push(chunks.length);
    writev(chunks, cb);
  };
  const queue = { capacity: 100, maxBytes: 1 << 22, isBatched: true };
  return { peer: new WebSocketPeer(ws, { socket, queue, stats: createStats() }), client, writes };
}

function received(client: WebSocket, count: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  return withDeadline(
    new Promise((resolve) =>
      client.on('message', (data) => {
        seen.push(JSON.parse(String(data)));
        if (seen.length === count) resolve(seen);
      }),
    ),
    5_000,
    `${count} frames`,
  );
}

const broadcast = (n: number, pad = '') => new OutboundEnvelope({ type: 'broadcast', data: { n, pad }, ts: n });

describe('WebSocketPeer (frame-once) writes', () => {
  it('a lone message in a tick leaves in one plain write of one buffer, no writev', async () => {
    const { peer, client, writes } = await framedPeer();
    const arrived = received(client, 1);
    peer.send(broadcast(1));
    expect(await arrived).toEqual([{ type: 'broadcast', data: { n: 1, pad: '' }, ts: 1 }]);
    expect(writes).toEqual({ writev: [], write: [expect.any(Number)] });
  });

  it("a tick's messages leave in one writev of one buffer each, in order; a big frame keeps header and payload apart", async () => {
    const { peer, client, writes } = await framedPeer();
    const big = 'x'.repeat(20_000);
    const arrived = received(client, 3);
    peer.send(broadcast(1));
    peer.send(broadcast(2, big));
    peer.send(broadcast(3));
    const seen = (await arrived) as { data: { n: number; pad: string } }[];
    expect(seen.map((envelope) => envelope.data.n)).toEqual([1, 2, 3]);
    expect(seen[1]?.data.pad).toBe(big);
    expect(writes.writev).toEqual([4]);
  });

  it('a value framed for WebSocket first still has its plain bytes for other transports, identical to its own encoding', async () => {
    const { peer, client } = await framedPeer();
    for (const pad of ['', 'é'.repeat(100), 'x'.repeat(20_000)]) {
      const value = broadcast(1, pad);
      const arrived = received(client, 1);
      peer.send(value);
      expect(await arrived).toEqual([{ type: 'broadcast', data: { n: 1, pad }, ts: 1 }]);
      client.removeAllListeners('message');
      expect(value.frame.equals(broadcast(1, pad).frame)).toBe(true);
    }
  });
});
