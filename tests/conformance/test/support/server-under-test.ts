import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import { createTestServer, RawClient } from '@oxidite/testing';
import { afterAll, beforeAll } from 'vitest';
import * as z from 'zod';

/**
 * The server under test. By default the reference server (`@oxidite/server`) on 127.0.0.1:0; set
 * `CONFORMANCE_WS_URL` (and `CONFORMANCE_HTTP_URL` for SSE) to run the suite against another
 * implementation. Whatever it is, it must serve these fixture topics (README.md of this folder):
 *
 * - `chat:{room}`: JSON `{ "text": string }`, history of at least 100 messages, clients may publish;
 * - `bytes`: binary payloads, clients may publish;
 *
 * with anonymous clients allowed, no origin check for clients that send no `Origin`, and the
 * production limits of PROTOCOL.md §6.
 */
export const fixtureTopics = defineTopics({
  'chat:{room}': { schema: z.object({ text: z.string() }), history: { size: 100 } },
  bytes: z.instanceof(Uint8Array),
});

export interface ServerUnderTest {
  /** `ws://…/ws`. */
  readonly wsUrl: string;
  /** `http://…`, where `/events` is. */
  readonly httpUrl: string;
}

/** Starts (or names) the server under test for one test file, and closes every client it opened. */
export function useServerUnderTest(): ServerUnderTest & {
  connect(options?: ConstructorParameters<typeof RawClient>[1]): Promise<RawClient>;
  /** A room name no other test uses, so tests share one server without seeing each other. */
  room(): string;
} {
  const clients: RawClient[] = [];
  let close = async () => {};
  const target = { wsUrl: process.env['CONFORMANCE_WS_URL'] ?? '', httpUrl: process.env['CONFORMANCE_HTTP_URL'] ?? '' };
  let rooms = 0;
  beforeAll(async () => {
    if (target.wsUrl !== '') return;
    const server = await createTestServer(createRealtimeServer({ topics: fixtureTopics }));
    [target.wsUrl, target.httpUrl] = [server.url, server.origin];
    close = () => server.close();
  });
  afterAll(async () => {
    for (const client of clients) client.ws.terminate();
    await close();
  });
  return {
    get wsUrl() {
      return target.wsUrl;
    },
    get httpUrl() {
      return target.httpUrl;
    },
    async connect(options) {
      const client = await RawClient.connect(target.wsUrl, options);
      clients.push(client);
      return client;
    },
    room: () => `chat:c${process.pid}x${rooms++}`,
  };
}
