import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TopicMap } from '@oxidite/protocol';
import type { RealtimeServer } from '@oxidite/server';
import { once } from '@oxidite/test-utils';
import { expect, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { SnippetContext, SnippetContexts, SnippetExports } from '../support/context';

const SECTION = 'packages/server/README.md § Beside Express, Fastify, Hono or plain `http`';

/** `rt` from the quick start, which the section's prose names. */
const PRELUDE = `import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import * as z from 'zod';
const topics = defineTopics({ 'chat:{room}': z.object({ text: z.string() }) });
const rt = createRealtimeServer({ topics });`;

/** What the section promises, whatever the framework: every endpoint mounted, the app's routes its own. */
async function checkMounted(origin: string): Promise<void> {
  for (const endpoint of ['/metrics', '/realtime/details']) {
    expect((await fetch(`${origin}${endpoint}`)).status, endpoint).toBe(200);
  }
  const abort = new AbortController();
  const events = await fetch(`${origin}/events?topic=chat:lobby`, { signal: abort.signal });
  expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
  abort.abort();
  expect(await (await fetch(`${origin}/`)).text()).toBe('your app');
  await checkHead(origin);
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, 'oxidite.v1');
  try {
    const [welcome] = await once(ws, 'message');
    expect(JSON.parse(String((welcome as MessageEvent).data))).toMatchObject({ type: 'welcome' });
  } finally {
    ws.terminate();
  }
}

/**
 * `HEAD` (`curl -I`) of every endpoint gets its 200 and the server logs or throws nothing: Hono
 * rebuilds the answer to a HEAD and once wrote headers after the handler had (ERR_HTTP_HEADERS_SENT).
 */
async function checkHead(origin: string): Promise<void> {
  const errors: unknown[] = [];
  const logged = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
  const onThrow = (error: Error) => void errors.push(error);
  process.on('uncaughtExceptionMonitor', onThrow);
  try {
    for (const endpoint of ['/metrics', '/realtime/details', '/events?topic=chat:lobby']) {
      expect((await fetch(`${origin}${endpoint}`, { method: 'HEAD' })).status, `HEAD ${endpoint}`).toBe(200);
    }
    // A request answered after them: what the server did after their answers has happened by now.
    expect(await (await fetch(`${origin}/`)).text()).toBe('your app');
    expect(errors).toEqual([]);
  } finally {
    logged.mockRestore();
    process.off('uncaughtExceptionMonitor', onThrow);
  }
}

/** Runs one framework's block: `server` (or `fastify.server`) is what it listens with. */
function framework(epilogue: string, close: (exports: SnippetExports) => Promise<void>): SnippetContext {
  return {
    env: 'node',
    prelude: PRELUDE,
    epilogue,
    async run(load) {
      const exports = await load();
      const rt = exports['rt'] as RealtimeServer<TopicMap>;
      const server = (exports['server'] ?? (exports['fastify'] as { server: Server }).server) as Server;
      try {
        if (!server.listening) await once(server, 'listening');
        await checkMounted(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      } finally {
        await rt.close();
        server.closeAllConnections();
        await close(exports);
      }
    },
  };
}

const closeServer = async ({ server }: SnippetExports) => {
  await new Promise((resolve) => (server as Server).close(resolve));
};

/** packages/server/README.md § "Beside Express, Fastify, Hono or plain http". */
export const serverFrameworkContexts: SnippetContexts = {
  [`${SECTION} #0`]: framework('export { rt, server };', closeServer),
  [`${SECTION} #1`]: framework('export { rt, server };', closeServer),
  [`${SECTION} #2`]: framework('export { rt, fastify };', ({ fastify }) =>
    (fastify as { close(): Promise<void> }).close(),
  ),
  [`${SECTION} #3`]: framework('export { rt, server };', closeServer),
};
