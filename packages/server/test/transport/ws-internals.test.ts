import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { withDeadline } from '@oxidite/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { OutboundEnvelope } from '../../src/hub';
import { createStats } from '../../src/observability';
import { encodeFrameHeader, Opcode } from '../../src/transport/websocket-frame';
import { WebSocketPeer } from '../../src/transport/websocket-peer';
import {
  hasUnreadFrames,
  protocolErrorCloseCode,
  rawSocketOf,
  releaseHandshakeState,
} from '../../src/transport/ws-internals';

/**
 * What the frame-once writer relies on in `ws` (see src/transport/ws-internals.ts). When one of
 * these fails after a `ws` upgrade, the server still works (it falls back to `ws.send`) but has
 * lost frame-once fan-out: fix ws-internals.ts for the new `ws` before shipping the upgrade.
 */
const servers: Server[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A bare `ws` server (no Oxidite around it) and one client; resolves with both ends. */
async function connectedPair(
  maxPayload?: number,
  perMessageDeflate = false,
): Promise<{ ws: WebSocket; upgraded: Duplex; client: WebSocket }> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate, ...(maxPayload ? { maxPayload } : {}) });
  const http = createServer();
  servers.push(http);
  const accepted = new Promise<{ ws: WebSocket; upgraded: Duplex }>((resolve) => {
    http.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, upgraded: socket })),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  clients.push(client);
  client.on('error', () => {});
  const { ws, upgraded } = await withDeadline(accepted, 5_000, 'the upgrade');
  await withDeadline(new Promise((resolve) => client.once('open', resolve)), 5_000, 'the client open');
  return { ws, upgraded, client };
}

function rawFrame(text: string): Buffer[] {
  const payload = Buffer.from(text);
  return [encodeFrameHeader(payload.length, Opcode.TEXT), payload];
}

describe('ws internals the frame-once writer relies on', () => {
  it('ws keeps the upgraded net.Socket as `_socket`', async () => {
    const { ws, upgraded } = await connectedPair();
    const socket = rawSocketOf(ws);
    expect(socket, 'ws no longer keeps its socket as `_socket`: update src/transport/ws-internals.ts').toBe(upgraded);
  });

  it('ws writes its own frames (ping, close) synchronously on that socket, so frames written beside them keep their order', async () => {
    const { ws, client } = await connectedPair();
    const socket = rawSocketOf(ws) as Socket;
    const seen: string[] = [];
    client.on('message', (data) => seen.push(`message ${String(data)}`));
    client.on('ping', () => seen.push('ping'));
    const closed = new Promise((resolve) => client.on('close', (code) => resolve(seen.push(`close ${code}`))));
    for (const buffer of rawFrame('a')) socket.write(buffer);
    ws.ping();
    for (const buffer of rawFrame('b')) socket.write(buffer);
    ws.close(1000);
    await withDeadline(closed, 5_000, 'the close');
    expect(seen).toEqual(['message a', 'ping', 'message b', 'close 1000']);
  });

  it('ws tags a protocol error with the close code it sends (read to count the close)', async () => {
    const { ws, client } = await connectedPair(16);
    const reported = new Promise<Error>((resolve) => ws.once('error', resolve));
    client.send('x'.repeat(17));
    const error = await withDeadline(reported, 5_000, "ws's error");
    expect(protocolErrorCloseCode(error), 'ws moved its status-code symbol: update ws-internals.ts').toBe(1009);
    expect(protocolErrorCloseCode(new Error('ECONNRESET'))).toBeUndefined();
  });

  it('ws emits the messages of one read synchronously, counting the bytes still unparsed (answers wait only behind more frames)', async () => {
    const { ws, client } = await connectedPair();
    const seen: [string, boolean][] = [];
    const both = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        seen.push([String(data), hasUnreadFrames(ws)]);
        if (seen.length === 2) resolve();
      }),
    );
    // Two frames in one write of the client's, so that they arrive in one read.
    const socket = rawSocketOf(client) as Socket;
    socket.cork();
    client.send('first');
    client.send('second');
    socket.uncork();
    await withDeadline(both, 5_000, 'two messages');
    expect(seen, 'ws no longer counts `_receiver._bufferedBytes`: update hasUnreadFrames in ws-internals.ts').toEqual([
      ['first', true],
      ['second', false],
    ]);
    expect(hasUnreadFrames({} as WebSocket), 'without the internals: batch, always correct').toBe(true);
  });

  it('finds no socket on an object that is not a ws with one (the fallback case)', () => {
    expect(rawSocketOf({} as WebSocket)).toBeUndefined();
    expect(rawSocketOf({ _socket: {} } as unknown as WebSocket)).toBeUndefined();
  });

  it('without the socket, a peer sends through ws.send: same frames, same order', async () => {
    const { ws, client } = await connectedPair();
    const stats = createStats();
    const queue = { capacity: 10, maxBytes: 1 << 20, isBatched: false };
    const peer = new WebSocketPeer(ws, { socket: undefined, queue, stats });
    const seen: unknown[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        seen.push(JSON.parse(String(data)));
        if (seen.length === 3) resolve();
      }),
    );
    for (let n = 1; n <= 3; n++) peer.send(new OutboundEnvelope({ type: 'broadcast', data: { n }, ts: n }));
    await withDeadline(all, 5_000, 'three frames');
    expect(seen).toEqual([1, 2, 3].map((n) => ({ type: 'broadcast', data: { n }, ts: n })));
    expect(stats.messagesOut).toBe(3);
    await withDeadline(peer.whenWritable(), 5_000, 'the sends to drain');
  });
});

describe('what the heartbeat relies on: a pong shows in the socket byte count', () => {
  it('a pong (and nothing else) from the client is seen by WebSocketPeer.hasReadSinceLastCheck', async () => {
    const { ws, client } = await connectedPair();
    const socket = rawSocketOf(ws) as Socket;
    const peer = new WebSocketPeer(ws, {
      socket,
      queue: { capacity: 10, maxBytes: 1 << 20, isBatched: true },
      stats: createStats(),
    });
    expect(peer.hasReadSinceLastCheck()).toBe(true); // the upgrade request itself
    expect(peer.hasReadSinceLastCheck()).toBe(false);
    const before = socket.bytesRead;
    const ponged = new Promise<void>((resolve) => ws.once('pong', () => resolve()));
    ws.ping();
    await withDeadline(ponged, 5_000, 'the pong');
    expect(socket.bytesRead, 'net.Socket#bytesRead no longer counts what ws reads').toBeGreaterThan(before);
    expect(peer.hasReadSinceLastCheck()).toBe(true);
    expect(peer.hasReadSinceLastCheck()).toBe(false);
    client.terminate();
  });
});

describe('what releaseHandshakeState relies on in Node and ws', () => {
  it('drops the cached peer address (Node reads it again) and shares one empty extension table', async () => {
    const { ws } = await connectedPair();
    const socket = rawSocketOf(ws) as Socket;
    const internals = ws as unknown as {
      _extensions: object;
      _receiver: { _extensions: object };
      _sender: { _extensions: object };
    };
    expect(socket.remoteAddress).toBe('127.0.0.1');
    const cached = socket as unknown as { _peername?: unknown };
    expect(cached._peername, 'Node no longer caches the peer address as `_peername`').toBeTypeOf('object');
    const extensions = internals._extensions;
    expect(Object.keys(extensions)).toEqual([]);
    expect(internals._receiver._extensions, 'ws no longer shares its extension table with the receiver').toBe(
      extensions,
    );
    expect(internals._sender._extensions, 'ws no longer shares its extension table with the sender').toBe(extensions);

    releaseHandshakeState(ws, socket);
    expect(cached._peername).toBeUndefined();
    expect(socket.remoteAddress).toBe('127.0.0.1');
    expect(internals._extensions).not.toBe(extensions);
    expect(internals._receiver._extensions).toBe(internals._extensions);
    expect(internals._sender._extensions).toBe(internals._extensions);
    expect(Object.isFrozen(internals._extensions)).toBe(true);
  });

  it('leaves a negotiated permessage-deflate alone', async () => {
    const { ws, client } = await connectedPair(undefined, true);
    const socket = rawSocketOf(ws) as Socket;
    const before = (ws as unknown as { _extensions: object })._extensions;
    expect(Object.keys(before)).toEqual(['permessage-deflate']);
    releaseHandshakeState(ws, socket);
    expect((ws as unknown as { _extensions: object })._extensions).toBe(before);
    const echoed = new Promise<string>((resolve) => client.once('message', (data) => resolve(String(data))));
    ws.send('x'.repeat(1_000));
    expect(await withDeadline(echoed, 5_000, 'the compressed message')).toBe('x'.repeat(1_000));
  });
});
