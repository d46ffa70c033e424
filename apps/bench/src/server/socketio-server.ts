import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { BENCH_TOPIC } from '../shared/targets';
import type { BenchServer } from './bench-server';

/**
 * Socket.IO 4 with the websocket transport only (no polling upgrade dance): `subscribe` joins a
 * room and acknowledges, `echo` acknowledges with its data, and a publish is `io.to(room).emit`,
 * which Socket.IO encodes once per broadcast.
 */
export async function startSocketIoServer(payloadPad: string): Promise<BenchServer> {
  const http = createServer();
  const io = new Server(http, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 64 * 1024,
  });
  io.on('connection', (socket) => {
    socket.on('subscribe', (topic: unknown, ack?: (reply: unknown) => void) => {
      if (typeof topic === 'string') void socket.join(topic);
      ack?.({ topic });
    });
    socket.on('echo', (data: unknown, ack?: (reply: unknown) => void) => ack?.(data));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

  return {
    port: (http.address() as AddressInfo).port,
    publish(n, t) {
      io.to(BENCH_TOPIC).emit('message', { n, t, p: payloadPad });
    },
    connections: () => io.sockets.adapter.rooms.get(BENCH_TOPIC)?.size ?? 0,
    counters: () => ({}),
    async close() {
      io.disconnectSockets(true);
      http.closeAllConnections();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
