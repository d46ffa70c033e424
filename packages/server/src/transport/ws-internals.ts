import { Socket } from 'node:net';
import { CloseCode } from '@oxidite/protocol';
import type { WebSocket } from 'ws';

/**
 * The one place the server reads `ws` internals (besides the inbound budget's hook on its
 * receiver, see inbound-budget.ts; and `hasUnreadFrames` below). `ws` keeps the upgraded socket as
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

/** The extension table of every connection that negotiated none: never written after the handshake. */
const NO_EXTENSIONS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Lets go of what an accepted connection no longer needs once its handshake is done, because idle
 * memory per connection is what a real-time server is sized by (issue #18, goal 3):
 * - the peer address Node caches on the socket (`_peername`, an object of 48 bytes) the first
 *   time `remoteAddress` is read: admission read it, and the connection keeps its own copy;
 *   Node fetches it again if anyone asks;
 * - `ws`'s per-connection extension table (`_extensions`, shared by the socket, its receiver and
 *   its sender) when it is empty (no permessage-deflate): `ws` only writes it while negotiating,
 *   and only reads it afterwards, so one frozen empty table serves every connection.
 * Each step checks the shape it expects and leaves the connection alone otherwise;
 * `test/transport/ws-internals.test.ts` fails loudly when Node or `ws` change them.
 */
export function releaseHandshakeState(ws: WebSocket, socket: Socket): void {
  const cached = socket as unknown as { _peername?: unknown };
  if (typeof cached._peername === 'object') cached._peername = undefined;
  const internals = ws as unknown as {
    _extensions?: object;
    _receiver?: { _extensions?: object };
    _sender?: { _extensions?: object };
  };
  const extensions = internals._extensions;
  const { _receiver: receiver, _sender: sender } = internals;
  if (!extensions || !receiver || !sender || Object.keys(extensions).length > 0) return;
  if (receiver._extensions !== extensions || sender._extensions !== extensions) return;
  internals._extensions = NO_EXTENSIONS;
  receiver._extensions = NO_EXTENSIONS;
  sender._extensions = NO_EXTENSIONS;
}

/**
 * The close code `ws` is about to send for a protocol error it reported on 'error' (1002 bad
 * frame, 1007 invalid UTF-8, 1009 too big), so that those closes are counted like the server's
 * own. `ws` keeps it under a private symbol (`Symbol('status-code')`); undefined for any other
 * error (a socket error is not a close) or when an upgrade moved it.
 */
export function protocolErrorCloseCode(error: unknown): CloseCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  for (const key of Object.getOwnPropertySymbols(error)) {
    if (key.description !== 'status-code') continue;
    const code = (error as Record<symbol, unknown>)[key];
    return PROTOCOL_ERROR_CODES.find((known) => known === code);
  }
  return undefined;
}

const PROTOCOL_ERROR_CODES: readonly CloseCode[] = [
  CloseCode.PROTOCOL_ERROR,
  CloseCode.INVALID_PAYLOAD,
  CloseCode.MESSAGE_TOO_BIG,
];

/**
 * Whether bytes of the next frame(s) are already read from the socket while `ws` emits a message:
 * `ws` emits messages synchronously as it parses a read (`allowSynchronousEvents`, its default), and
 * its receiver counts what it holds unparsed as `_bufferedBytes`. The answer to a frame nothing
 * follows is written at once; otherwise answers wait for the tick's batch, so that a client's
 * pipelined requests are answered in one write. True (batch: always correct) when `ws` no longer
 * looks as expected.
 */
export function hasUnreadFrames(ws: WebSocket): boolean {
  const buffered = (ws as unknown as { _receiver?: { _bufferedBytes?: unknown } })._receiver?._bufferedBytes;
  return typeof buffered !== 'number' || buffered > 0;
}
