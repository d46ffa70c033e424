import type { AddressInfo } from 'node:net';

/**
 * What {@link createTestServer} needs of a realtime server: `createRealtimeServer(…)` fits. Typed by
 * shape, so this package needs no dependency on `@oxidite/server` (whose own tests use it).
 */
export interface ListenableServer {
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** A realtime server listening on 127.0.0.1 and a free port; see {@link createTestServer}. */
export interface TestServer<S extends ListenableServer> extends AsyncDisposable {
  /** The server you passed: publish, register RPC methods, read `stats()`. */
  readonly rt: S;
  /** Its port on 127.0.0.1 (give it to `createTcpProxy` to put faults between it and a client). */
  readonly port: number;
  /** `ws://127.0.0.1:<port>/ws`: where a client connects (the server's default `path`). */
  readonly url: string;
  /** `http://127.0.0.1:<port>`: SSE, `/metrics`, `/realtime/details`. */
  readonly origin: string;
  /** Closes every connection (1001) and stops listening. `await using` calls it too. */
  close(): Promise<void>;
}

/**
 * Starts a realtime server in this process on 127.0.0.1 and a free port (never a fixed one, so
 * test files run in parallel), with every endpoint `listen()` serves.
 *
 * @example
 * const server = await createTestServer(createRealtimeServer({ topics }));
 * onTestFinished(() => server.close());
 * const client = createClient({ url: server.url, topics, WebSocket });
 */
export async function createTestServer<S extends ListenableServer>(rt: S): Promise<TestServer<S>> {
  const { port } = await rt.listen(0, '127.0.0.1');
  const close = () => rt.close();
  return {
    rt,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    origin: `http://127.0.0.1:${port}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}
