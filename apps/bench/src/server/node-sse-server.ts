import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BENCH_TOPIC } from '../shared/targets';
import { type BenchServer, messageEnvelope, RAW_EPOCH } from './bench-server';

/**
 * The hand-written SSE baseline on Node `http`: each event (`id:`, `event: message`, `data:` with
 * the same envelope Oxidite sends) is formatted and encoded once and `res.write` of the same Buffer
 * goes to every stream.
 */
export async function startNodeSseServer(payloadPad: string): Promise<BenchServer> {
  const streams = new Set<ServerResponse>();
  const http = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/events')) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 3000\n\nevent: subscribed\ndata: {}\n\n');
    streams.add(res);
    res.once('close', () => streams.delete(res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

  return {
    port: (http.address() as AddressInfo).port,
    publish(n, t) {
      const envelope = messageEnvelope(BENCH_TOPIC, n, { n, t, p: payloadPad });
      const event = Buffer.from(`id: ${RAW_EPOCH}:${n}\nevent: message\ndata: ${envelope}\n\n`);
      for (const res of streams) res.write(event);
    },
    connections: () => streams.size,
    counters: () => ({}),
    async close() {
      for (const res of streams) res.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
