/**
 * A load-generator child of the max-connections scenario (see scenarios/max-connections.ts):
 * holds idle subscribed raw `ws` sockets, all bound to one loopback source address (argv[2] the
 * server URL, argv[3] the address), so that each child stays under the per-process open-files
 * limit and within one address's ephemeral ports. The sockets answer server pings (`ws` does) and
 * do nothing else. Driven over IPC by `IdleClientPool`; exits when its parent goes away, when told
 * to, or after a hard lifetime cap.
 */
import type { WebSocket } from 'ws';
import { openMany } from './generator/fleet';
import type { IdleReply, IdleRequest } from './generator/idle-client-pool';
import { openSocket } from './generator/ws-fleet';
import { BENCH_TOPIC } from './shared/targets';

const MAX_LIFETIME_MS = 10 * 60_000;
const SUBSCRIBE = JSON.stringify({ type: 'subscribe', id: 1, topic: BENCH_TOPIC });

const [url = '', address = '127.0.0.1'] = process.argv.slice(2);
const sockets = new Set<WebSocket>();
let lost = 0;

function onClose(this: WebSocket): void {
  if (sockets.delete(this)) lost++;
}

async function openOne(): Promise<void> {
  const ws = await openSocket(url, SUBSCRIBE, address);
  sockets.add(ws);
  ws.on('close', onClose);
}

async function handle(request: IdleRequest): Promise<IdleReply> {
  if (request.op === 'open') {
    const result = await openMany(openOne, request.count, request.concurrency, request.timeoutMs);
    return { id: request.id, open: sockets.size, lost, opened: result.opened, firstError: result.firstError };
  }
  if (request.op === 'close') {
    for (const ws of sockets) ws.terminate();
    sockets.clear();
  }
  return { id: request.id, open: sockets.size, lost, opened: 0, firstError: undefined };
}

setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();
process.on('disconnect', () => process.exit(0));
process.on('message', (request: IdleRequest) => {
  handle(request).then(
    (reply) => {
      process.send?.(reply);
      if (request.op === 'close') process.disconnect();
    },
    (error: unknown) =>
      process.send?.({ id: request.id, open: sockets.size, lost, opened: 0, firstError: String(error) }),
  );
});
process.send?.({ id: 0, open: 0, lost: 0, opened: 0, firstError: undefined } satisfies IdleReply);
