import { type Server, type Socket, connect, createServer } from 'node:net';

/** A fault-injecting TCP proxy on 127.0.0.1, see {@link createTcpProxy}. */
export interface TcpProxy {
  /** The proxy's port on 127.0.0.1: point the client here instead of at the target. */
  readonly port: number;
  /** Destroys every current connection, both the client side and the target side (an abrupt disconnect). */
  cut(): void;
  /**
   * Black hole: sockets stay open but nothing is forwarded in either direction and the data is dropped.
   * Connections accepted while stalled do not reach the target until `restore()`.
   */
  stall(): void;
  /** Forwards again: for new connections (ends `refuse`), and after `stall()` also for the existing ones. */
  restore(): void;
  /** While on, new connections are destroyed (reset) as soon as they are accepted. */
  refuse(on: boolean): void;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream?: Socket | undefined;
  /** Ends or resets that arrived while stalled, applied on restore. */
  deferred: Array<() => void>;
}

/**
 * Starts a TCP proxy on 127.0.0.1 (random port) that forwards to `targetHost:targetPort` and can cut, stall or refuse
 * connections on demand: the way to test reconnects, heartbeats and timeouts against a real server.
 *
 * @example
 * const proxy = await createTcpProxy(serverPort);
 * const client = connectClient(`ws://127.0.0.1:${proxy.port}`);
 * proxy.stall();   // heartbeats stop arriving; the client should notice and reconnect
 * proxy.restore();
 */
export async function createTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let stalled = false;
  let refusing = false;

  const isOpen = (s: Socket | undefined) => s !== undefined && !s.destroyed;
  const forget = (pair: Pair) => {
    if (!isOpen(pair.client) && !isOpen(pair.upstream)) pairs.delete(pair);
  };

  /** Copies `from` → `to()` unless stalled (then the data is read and dropped). */
  const pipe = (pair: Pair, from: Socket, to: () => Socket | undefined) => {
    from.on('data', (chunk: Buffer) => {
      const dest = to();
      if (stalled || !isOpen(dest)) return;
      if (!dest!.write(chunk)) {
        from.pause();
        dest!.once('drain', () => from.resume());
      }
    });
    // Pass a clean end (FIN) or an abrupt close (reset) on to the other side, later if stalled.
    const propagate = (hadError: boolean) => {
      const apply = () => {
        const dest = to();
        if (hadError) dest?.destroy();
        else dest?.end();
        forget(pair);
      };
      if (stalled) pair.deferred.push(apply);
      else apply();
    };
    from.on('end', () => propagate(false));
    from.on('close', (hadError) => {
      propagate(hadError);
      forget(pair);
    });
    from.on('error', () => {});
  };

  const connectUpstream = (pair: Pair) => {
    const upstream = connect({ port: targetPort, host: targetHost });
    pair.upstream = upstream;
    pipe(pair, upstream, () => pair.client);
  };

  const server: Server = createServer((client) => {
    if (refusing) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, deferred: [] };
    pairs.add(pair);
    pipe(pair, client, () => pair.upstream);
    if (!stalled) connectUpstream(pair);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no TCP address');

  const cut = () => {
    for (const pair of pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
      pair.deferred = [];
    }
    pairs.clear();
  };

  return {
    port: address.port,
    cut,
    stall() {
      stalled = true;
      // Keep reading (and dropping) even where backpressure had paused a socket.
      for (const pair of pairs) {
        pair.client.resume();
        pair.upstream?.resume();
      }
    },
    restore() {
      stalled = false;
      refusing = false;
      for (const pair of [...pairs]) {
        if (!pair.upstream && isOpen(pair.client)) connectUpstream(pair);
        const deferred = pair.deferred;
        pair.deferred = [];
        for (const apply of deferred) apply();
      }
    },
    refuse(on: boolean) {
      refusing = on;
    },
    get connections() {
      let open = 0;
      for (const pair of pairs) if (isOpen(pair.client) || isOpen(pair.upstream)) open++;
      return open;
    },
    close() {
      refusing = true;
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
