import { connect, type Socket } from 'node:net';
import { SUBPROTOCOL } from '@oxidite/protocol';
import { once, withDeadline } from './deadline';

/**
 * Opens a raw TCP connection to `ws://127.0.0.1:<port><path>`, completes the WebSocket upgrade
 * (offering `oxidite.v1`), then ignores everything: it reads and drops what arrives and never
 * answers a close frame or a ping. The client that makes a server's shutdown wait.
 * Rejects unless the server answers 101.
 */
export async function connectDeafWebSocket(port: number, path = '/ws'): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect', 5_000);
  socket.write(
    [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${SUBPROTOCOL}`,
      '',
      '',
    ].join('\r\n'),
  );
  let head = '';
  await withDeadline(
    new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        resolve();
      };
      socket.on('data', onData);
    }),
    5_000,
    'the upgrade response',
  );
  if (!head.startsWith('HTTP/1.1 101')) {
    socket.destroy();
    throw new Error(`upgrade refused: ${head.split('\r\n', 1)[0]}`);
  }
  socket.on('data', () => {}); // read and drop
  return socket;
}
