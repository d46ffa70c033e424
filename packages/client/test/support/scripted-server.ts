import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUBPROTOCOL } from '@oxidite/protocol';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import { onTeardown } from './harness';

/** Options of {@link startScriptedServer}. */
export interface ScriptedServerOptions {
  /** `ws`'s `maxPayload`: a larger frame gets 1009, as from a real server. @default ws's default */
  readonly maxPayload?: number;
  /** Called with each connection (numbered from 1) after its `welcome`: the test writes the rest. */
  readonly onConnection?: (ws: ServerSocket, n: number) => void;
}

/**
 * A server that speaks just enough of the protocol for a client test to script what a real one
 * would not send (a corrupted frame, an older server's `welcome`): it answers the handshake with
 * `oxidite.v1` and sends a `welcome` with the text limit only. On 127.0.0.1:0; closed at teardown.
 */
export async function startScriptedServer(options: ScriptedServerOptions = {}) {
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: () => SUBPROTOCOL,
    ...(options.maxPayload === undefined ? {} : { maxPayload: options.maxPayload }),
  });
  let connections = 0;
  wss.on('connection', (ws) => {
    const n = ++connections;
    ws.on('error', () => {}); // `ws` reports the 1009 it sent as an error
    const limits = { maxPayload: 65_536, maxSubscriptions: 10 };
    ws.send(JSON.stringify({ type: 'welcome', protocol: 1, session: `s${n}`, heartbeat: 0, limits }));
    options.onConnection?.(ws, n);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => http.close(resolve));
  };
  onTeardown(close);
  return { url: `ws://127.0.0.1:${port}/ws`, connections: () => connections };
}
