import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { BENCH_TOPIC, SUBPROTOCOL } from '../shared/targets';
import { type BenchPayload, type BenchServer, messageEnvelope, RAW_EPOCH } from './bench-server';

const TEXT = { binary: false } as const;
const FRAME_OPTIONS = { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true } as const;
/** `ws`'s frame builder: exported by the package, missing from its type definitions. */
const { Sender } = wsModule as unknown as {
  Sender: { frame(data: Buffer, options: typeof FRAME_OPTIONS): Buffer[] };
};
const WELCOME = JSON.stringify({ type: 'welcome', protocol: 1, session: 'raw', heartbeat: 0, limits: {} });

/**
 * The hand-written baseline: a `ws` server speaking just enough of the Oxidite protocol for the
 * same generator to drive it (`welcome`, `subscribe` → `subscribed`, `publish` → fan-out + `ack`,
 * `rpc` → `reply`). A message
 * is serialized and encoded once; then either `ws.send(buffer)` per socket (what the `ws` README
 * does), or — `frameOnce` — the frame is built once with `Sender.frame` and the same
 * bytes are written to each socket: the practical floor.
 */
export async function startRawWsServer(
  payloadPad: string,
  frameOnce: boolean,
  heartbeatMs?: number,
): Promise<BenchServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const subscribers = new Set<WebSocket>();
  /** With a heartbeat: sockets that answered since the last ping. */
  const alive = new Set<WebSocket>();
  function markAlive(this: WebSocket): void {
    alive.add(this);
  }
  let seq = 0;

  /** The same fan-out as `publish` below, for a message a client published (then acked). */
  function broadcast(data: Buffer): void {
    if (frameOnce) {
      const frame = Buffer.concat(Sender.frame(data, FRAME_OPTIONS));
      for (const ws of subscribers) {
        if (ws.readyState === WebSocket.OPEN) (ws as unknown as { _socket: Socket })._socket.write(frame);
      }
    } else {
      for (const ws of subscribers) ws.send(data, TEXT);
    }
  }

  function onMessage(ws: WebSocket, data: Buffer): void {
    let envelope: { type?: unknown; id?: unknown; topic?: unknown; data?: unknown };
    try {
      envelope = JSON.parse(data.toString('utf8')) as typeof envelope;
    } catch {
      return;
    }
    if (envelope.type === 'subscribe' && envelope.topic === BENCH_TOPIC) {
      subscribers.add(ws);
      const offset = `${RAW_EPOCH}:0`;
      ws.send(JSON.stringify({ type: 'subscribed', id: envelope.id, topic: BENCH_TOPIC, offset, recovered: true }));
    } else if (envelope.type === 'publish' && envelope.topic === BENCH_TOPIC) {
      seq++;
      broadcast(Buffer.from(messageEnvelope(BENCH_TOPIC, seq, envelope.data as BenchPayload)));
      ws.send(`{"type":"ack","id":${Number(envelope.id)},"offset":"${RAW_EPOCH}:${seq}"}`);
    } else if (envelope.type === 'rpc') {
      ws.send(JSON.stringify({ type: 'reply', id: envelope.id, data: envelope.data ?? null }));
    }
  }

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data: Buffer) => onMessage(ws, data));
      ws.on('close', () => {
        subscribers.delete(ws);
        alive.delete(ws);
      });
      ws.on('error', () => {});
      if (heartbeatMs) {
        alive.add(ws);
        ws.on('pong', markAlive);
      }
      ws.send(WELCOME);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  // The ping loop of the `ws` README (one timer; a socket that did not answer the previous ping is
  // cut), over a Set instead of an `isAlive` property added to every socket.
  const pinger = heartbeatMs
    ? setInterval(() => {
        for (const ws of subscribers) {
          if (!alive.delete(ws)) ws.terminate();
          else ws.ping();
        }
      }, heartbeatMs)
    : undefined;

  return {
    port: (http.address() as AddressInfo).port,
    publish(n, t) {
      broadcast(Buffer.from(messageEnvelope(BENCH_TOPIC, n, { n, t, p: payloadPad })));
    },
    connections: () => subscribers.size,
    counters: () => ({}),
    async close() {
      clearInterval(pinger);
      for (const ws of subscribers) ws.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
