#!/usr/bin/env node
// Minimal WebSocket echo server (the demo until apps/demo exists): echoes text and binary frames.
//   PORT=3000 node scripts/echo-server.mjs      (PORT=0 picks a free port)
// `ws` comes from packages/server's dependencies, so this script needs nothing of its own.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../packages/server/package.json', import.meta.url));
const { WebSocketServer } = require('ws');

const host = '127.0.0.1';
// biome-ignore lint/suspicious/noUndeclaredEnvVars: a dev script, not a turbo task
const port = Number(process.env.PORT ?? 3000);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Oxidite echo server: open a WebSocket to this address; every frame is sent back.\n');
});
const wss = new WebSocketServer({ server });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => ws.terminate());
});

server.on('error', (err) => {
  console.error(`echo server: ${err.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  console.log(`Echo server listening on ws://${host}:${server.address().port}/ (Ctrl-C to stop)`);
});

// One Ctrl-C can arrive several times (from the terminal and forwarded by the parent scripts): stop once.
let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing the echo server`);
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  wss.close();
  server.close(() => process.exit(0));
  // Clients that do not answer the close handshake in time are cut off.
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
    process.exit(0);
  }, 2000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
