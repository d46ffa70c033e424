import { createServer } from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now: listens on port 0, reads the port the OS picked, closes.
 * Another process can still take it before you bind it; the service starters here retry on a bind failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the port from the OS'))));
    });
  });
}
