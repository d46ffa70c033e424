import { connect } from 'node:net';
import { once, withDeadline } from './deadline';

/**
 * Sends the start of an HTTP request that never ends (half a request line, headers without their
 * blank line, or a body shorter than its `Content-Length`) to 127.0.0.1:`port`, and resolves with
 * everything the server answered once it closed the socket, within `ms`: a bound, not a timing
 * claim. For the slowloris cases of the servers' header and body timeouts.
 */
export async function unfinishedRequest(port: number, start: string, ms = 5_000): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect', 5_000);
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(start);
  try {
    await withDeadline(closed, ms, 'the unfinished request to be closed');
  } finally {
    socket.destroy();
  }
  return text;
}
