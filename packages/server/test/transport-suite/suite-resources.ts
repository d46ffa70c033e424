import { afterEach } from 'vitest';
import { useTestResources } from '../support/clients';
import { startTestServer, type TestServer, type testTopics } from '../support/test-server';
import type { SuiteClient, TransportDriver } from './drivers';

type ServerOptions = Parameters<typeof startTestServer>[0];

/** Servers and clients of one suite file, closed after each test, pass or fail. */
export function useSuiteResources() {
  const t = useTestResources();
  const clients: SuiteClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  return {
    /** A server on port 0 with what `driver`'s transport needs. */
    async server(driver: TransportDriver, options: ServerOptions = {}): Promise<TestServer<typeof testTopics>> {
      const server = await startTestServer({ ...driver.serverOptions, ...options });
      t.track(server as unknown as TestServer<never>);
      return server;
    },
    async open(
      driver: TransportDriver,
      server: { url: string; port: number },
      topics: string[],
      since?: (string | undefined)[],
    ) {
      const client = await driver.open(server, topics, since);
      clients.push(client);
      return client;
    },
  };
}
