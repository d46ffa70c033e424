/**
 * The demo server: `node dist/server.js`. Prints one line with its URL, stops cleanly on Ctrl-C or
 * SIGTERM (clients see close code 1001 and reconnect). Settings: see config.ts and the README.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app';
import { readConfig } from './config';

/** A stop that hangs (a stuck socket, say) must not keep the process alive for ever. */
const STOP_DEADLINE = 10_000;

function reportError(error: unknown, where: string): void {
  console.error(`demo: ${where}:`, error);
}

async function main(): Promise<void> {
  const config = readConfig();
  if (!config.isSecretStable) {
    console.error('demo: DEMO_SECRET is not set: login tokens are signed with a random key and die with this process.');
  }
  const { handle, realtime } = createDemoApp(config, reportError);
  const http = createServer(handle);
  realtime.rt.attach(http);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  console.log(`Oxidite demo listening on http://127.0.0.1:${port}/`);

  let isStopping = false;
  const stop = async (): Promise<void> => {
    if (isStopping) return;
    isStopping = true;
    setTimeout(() => {
      console.error('demo: stopping took too long, exiting anyway');
      process.exit(1);
    }, STOP_DEADLINE).unref();
    await realtime.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stop().catch((error: unknown) => {
        reportError(error, 'stop');
        process.exit(1);
      });
    });
  }
}

main().catch((error: unknown) => {
  console.error(`demo: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
