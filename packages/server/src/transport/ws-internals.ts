import { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * The one place the server reads `ws` internals for writing. `ws` keeps the upgraded socket as
 * `_socket` and has no public accessor for it; the frame-once writer (see `WebSocketPeer`) writes
 * shared frames to it directly, which is safe only while `ws` itself writes every frame it sends
 * (pings, close) synchronously on that socket, as it does without permessage-deflate.
 * `test/transport/ws-internals.test.ts` checks both against the installed `ws` and fails loudly
 * when an upgrade changes them.
 *
 * Returns undefined when this `ws` keeps no such socket: the caller then sends through
 * `ws.send`, slower (a frame per socket) but correct.
 */
export function rawSocketOf(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  return socket instanceof Socket ? socket : undefined;
}
