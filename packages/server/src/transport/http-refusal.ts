import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

/**
 * Answers an upgrade request with a plain HTTP error and closes the socket, before any
 * WebSocket handshake: the status tells non-browser clients why (browsers only see a failure).
 */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, retryAfter?: number): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${reason}\n`;
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(retryAfter === undefined ? [] : [`Retry-After: ${retryAfter}`]),
  ];
  // Destroyed once the answer is written (as `ws` does): after 'upgrade' no HTTP timeout applies,
  // and a client that never closes its side would otherwise hold the descriptor for good.
  socket.once('finish', () => socket.destroy());
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
