import type { Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { loadClientModule } from '../shared/client-module';
import type { TargetName } from '../shared/targets';
import { withTimeout } from './fleet';
import { openSocketIo } from './socketio-fleet';
import { openSocket } from './ws-fleet';

const CALL_TIMEOUT_MS = 10_000;

/** A connected client that can make one echo round trip at a time. */
export interface EchoClient {
  echo(data: unknown): Promise<void>;
  close(): void;
}

/** Raw `ws`: an Oxidite `rpc` envelope out, the next frame back is its `reply`. */
async function rawEchoClient(url: string): Promise<EchoClient> {
  const ws = await openSocket(url);
  let id = 0;
  let pending: (() => void) | undefined;
  ws.on('message', () => {
    const resolve = pending;
    pending = undefined;
    resolve?.();
  });
  return {
    echo(data) {
      return withTimeout(
        new Promise<void>((resolve) => {
          pending = resolve;
          ws.send(JSON.stringify({ type: 'rpc', id: ++id, method: 'echo', data }));
        }),
        CALL_TIMEOUT_MS,
        'echo',
      );
    },
    close: () => ws.terminate(),
  };
}

/** `@oxidite/client` (or the build in `clientModule`): `client.rpc('echo', data)`, the library's own request path. */
async function libraryEchoClient(url: string, clientModule: string | undefined): Promise<EchoClient> {
  const { createClient } = await loadClientModule(clientModule);
  const client = createClient({
    url,
    topics: {},
    WebSocket,
    reconnect: { maxRetries: 0 },
    requestTimeout: CALL_TIMEOUT_MS,
  });
  await withTimeout(client.ready, CALL_TIMEOUT_MS, 'client ready');
  return {
    echo: async (data) => {
      await client.rpc('echo', data);
    },
    close: () => client.close(),
  };
}

/** Socket.IO: `emit` with an acknowledgement. */
async function socketIoEchoClient(url: string): Promise<EchoClient> {
  const socket: Socket = await openSocketIo(url);
  return {
    echo: async (data) => {
      await socket.timeout(CALL_TIMEOUT_MS).emitWithAck('echo', data);
    },
    close: () => socket.disconnect(),
  };
}

/** Connects one echo client of the kind `target` uses (`oxidite-client-b`: on the build in `clientModule`). */
export function openEchoClient(target: TargetName, port: number, clientModule?: string): Promise<EchoClient> {
  switch (target) {
    case 'socketio':
      return socketIoEchoClient(`http://127.0.0.1:${port}`);
    case 'oxidite-client':
      return libraryEchoClient(`ws://127.0.0.1:${port}/ws`, undefined);
    case 'oxidite-client-b':
      return libraryEchoClient(`ws://127.0.0.1:${port}/ws`, clientModule);
    default:
      return rawEchoClient(`ws://127.0.0.1:${port}/ws`);
  }
}
