import type { ServerResponse } from 'node:http';

/**
 * How long a client whose body was refused (413) may go on sending it before its connection is
 * cut, in ms. Long enough for any honest upload the client already started; a body that never
 * ends costs the hub no more than this.
 */
export const LINGER_MS = 2_000;

/**
 * Sends a whole JSON answer with `Connection: close`, then closes once the client has sent the
 * rest of its request (read and discarded, never kept), or after {@link LINGER_MS}.
 *
 * Why: Node closes a `Connection: close` socket as soon as the answer is written. A client still
 * uploading then gets a TCP reset, which often destroys the 413 it has not read yet (curl and
 * fetch report "connection reset" instead of the answer). The answer here is complete at once
 * (Content-Length), only the close waits; the same lingering close as nginx's `lingering_close`.
 */
export function sendJsonThenClose(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  res.write(text);
  const req = res.req;
  const finish = () => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(finish, LINGER_MS).unref();
  if (req.complete || req.destroyed) {
    finish();
    return;
  }
  req.once('end', finish).once('close', finish).once('error', finish);
  req.resume();
}
