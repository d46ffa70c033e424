import { afterEach } from 'vitest';
import { RawClient } from './raw-client';
import type { TestServer } from './test-server';

/**
 * Per-test bookkeeping: clients and servers opened through these helpers are closed after each
 * test, pass or fail.
 */
export function useTestResources() {
  const clients: RawClient[] = [];
  const servers: TestServer<never>[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => (c.ws.readyState <= 1 ? c.close() : undefined)));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    track<S extends TestServer<never>>(server: S): S {
      servers.push(server);
      return server;
    },
    async connect(url: string, options?: ConstructorParameters<typeof RawClient>[1]): Promise<RawClient> {
      const client = await RawClient.connect(url, options);
      clients.push(client);
      return client;
    },
    adopt(client: RawClient): RawClient {
      clients.push(client);
      return client;
    },
  };
}
