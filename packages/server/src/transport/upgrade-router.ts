import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RealtimeStats } from '../observability';
import type { ChargeRequest } from '../security';
import { refuseUpgrade } from './http-refusal';
import type { WebSocketTransport } from './websocket-transport';

/** Options of {@link createUpgradeRouter}. */
export interface UpgradeRouterOptions {
  /** The WebSocket path (exact match, without the query). */
  readonly path: string;
  readonly websocket: WebSocketTransport;
  readonly charge: ChargeRequest;
  readonly stats: RealtimeStats;
  readonly isClosed: () => boolean;
}

/** An 'upgrade' listener (`this` is the HTTP server it is attached to). */
export type UpgradeListener = (this: Server, req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes upgrade requests: the WebSocket path to the transport; any other path gets an HTTP
 * answer (404, or 429 past the address's connection rate) and is closed, counted as refused,
 * unless the server has another 'upgrade' listener (a second WebSocket library on its own path):
 * that listener owns every path that is not ours. Unanswered, such a request would hold a file
 * descriptor until the client gives up, past every limit (issue #25).
 */
export function createUpgradeRouter(options: UpgradeRouterOptions): UpgradeListener {
  const { path, websocket, charge, stats } = options;
  return function onUpgrade(req, socket, head) {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    if (pathname === path)
      return options.isClosed() ? void socket.destroy() : websocket.handleUpgrade(req, socket, head);
    if (this.listenerCount('upgrade') > 1) return;
    stats.connectionsRefused++;
    socket.on('error', () => socket.destroy());
    charge(req, { status: 404, reason: 'not found' }).then(
      (refusal) => refuseUpgrade(socket, refusal.status, refusal.reason, refusal.retryAfter),
      () => socket.destroy(),
    );
  };
}

/**
 * Answers `CONNECT` on a server the realtime server owns (`listen`): Node drops such a request
 * without a word when nobody listens for 'connect'. Tunnels are not served here: 405.
 */
export function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  refuseUpgrade(socket, 405, 'method not allowed');
}
