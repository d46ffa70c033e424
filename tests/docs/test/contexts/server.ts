import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TopicMap } from '@oxidite/protocol';
import type { AnalyticsService, NotificationService, RealtimeServer } from '@oxidite/server';
import { once } from '@oxidite/test-utils';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import type { SnippetContexts } from '../support/context';
import { nodeClient, subscribeOnce } from '../support/node-client';

const SERVER = 'packages/server/README.md';

/** An app's own topics, as the prose around several snippets assumes (`topics`, `appTopics`). */
const APP_TOPICS = `import * as protocol from '@oxidite/protocol';
import * as z from 'zod';
const topics = protocol.defineTopics({ 'chat:{room}': z.object({ text: z.string() }) });
const appTopics = topics;
const appMethods = protocol.defineMethods({ 'rooms.list': { input: z.object({}), output: z.array(z.string()) } });`;

async function listening(http: Server): Promise<string> {
  if (!http.listening) await once(http, 'listening');
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function closeHttp(http: Server): Promise<void> {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
}

/** packages/server/README.md. */
export const serverContexts: SnippetContexts = {
  [`${SERVER} § Quick start #0`]: {
    env: 'node',
    epilogue: 'export { rt, http };',
    async run(load) {
      const { rt, http, topics } = (await load()) as { rt: RealtimeServer<TopicMap>; http: Server; topics: TopicMap };
      const client = nodeClient(`${(await listening(http)).replace('http', 'ws')}/ws`, topics);
      try {
        const chat = subscribeOnce(client, 'chat:lobby');
        await chat.ready;
        await rt.publish('chat:lobby', { text: 'again' });
        expect(await chat.message).toEqual({ text: 'again' });
      } finally {
        client.close();
        await rt.close();
        await closeHttp(http);
      }
    },
  },
  [`${SERVER} § Echo, in a few lines #0`]: {
    env: 'node',
    prelude: `import { defineTopics } from '@oxidite/protocol';
import { createRealtimeServer } from '@oxidite/server';
import * as z from 'zod';`,
    epilogue: 'export { rt, topics };',
    async run(load) {
      const { rt, topics } = (await load()) as { rt: RealtimeServer<TopicMap>; topics: TopicMap };
      const { port } = await rt.listen(0);
      const client = nodeClient(`ws://127.0.0.1:${port}/ws`, topics);
      try {
        await client.ready;
        const echo = subscribeOnce(client, `echo:${client.session}`);
        await echo.ready;
        const publish = client.publish as (topic: string, data: unknown) => Promise<unknown>;
        await publish.call(client, `echo:${client.session}`, new Uint8Array([1, 2, 3]));
        expect(await echo.message).toEqual(new Uint8Array([1, 2, 3]));
        const rpc = client.rpc as (method: string, data: unknown) => Promise<unknown>;
        expect(await rpc.call(client, 'echo', 'hi')).toBe('hi');
      } finally {
        client.close();
        await rt.close();
      }
    },
  },
  [`${SERVER} § Security #0`]: {
    env: 'node',
    prelude: `process.env['JWT_SECRET'] ??= 'a-32-byte-secret-for-the-readme!!';\n${APP_TOPICS}`,
    epilogue: 'export { rt };',
    async run(load) {
      // Attacked in detail by packages/server/test/security-rules.test.ts; here: it starts and stops.
      const { rt } = (await load()) as { rt: RealtimeServer<TopicMap> };
      await rt.listen(0);
      await rt.close();
    },
  },
  [`${SERVER} § Events #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
import { createRealtimeServer } from '@oxidite/server';
const rt = createRealtimeServer({ topics });
const lines: unknown[][] = [];
const log = { info: (...args: unknown[]) => lines.push(args) };`,
    epilogue: 'export { rt, lines };',
    async run(load) {
      const { rt, lines } = (await load()) as { rt: RealtimeServer<TopicMap>; lines: unknown[][] };
      const { port } = await rt.listen(0);
      try {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'oxidite.v1');
        await once(ws, 'message'); // welcome
        ws.send(JSON.stringify({ type: 'subscribe', id: 1, topic: 'chat:lobby' }));
        await once(ws, 'message'); // subscribed
        const closed = once(ws, 'close');
        ws.close(1000, 'bye');
        await closed;
        await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(2); // the server sees the close after the client
        expect(lines[0]).toEqual([
          { user: undefined, topic: 'chat:lobby', offset: expect.any(String), replayed: 0 },
          'subscribed',
        ]);
        expect(lines[1]).toEqual([{ id: expect.any(String), code: 1000, reason: 'bye' }, 'closed']);
      } finally {
        await rt.close();
      }
    },
  },
  [`${SERVER} § Logging #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
import { createRealtimeServer } from '@oxidite/server';`,
    epilogue: 'export { rt };',
    async run(load) {
      const { rt } = (await load()) as { rt: RealtimeServer<TopicMap> };
      // pino writes one `server.listening` line to stdout: the logger is wired and called.
      const { port } = await rt.listen(0, '127.0.0.1');
      expect(port).toBeGreaterThan(0);
      await rt.close();
    },
  },
  [`${SERVER} § OpenTelemetry #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
import { createRealtimeServer } from '@oxidite/server';`,
    epilogue: 'export { rt };',
    async run(load) {
      const { rt } = (await load()) as { rt: RealtimeServer<TopicMap> };
      await rt.listen(0, '127.0.0.1');
      try {
        // The global providers are the API's no-op ones here: publishing through traced code works.
        expect(await rt.publish('chat:lobby', { text: 'traced' })).toMatchObject({ isDuplicate: false });
      } finally {
        await rt.close();
      }
    },
  },
  [`${SERVER} § Inspector #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
import { createRealtimeServer } from '@oxidite/server';
process.env.INSPECTOR_TOKEN ??= 'a-long-inspector-secret';`,
    epilogue: 'export { rt };',
    async run(load) {
      const { rt } = (await load()) as { rt: RealtimeServer<TopicMap> };
      const { port } = await rt.listen(0, '127.0.0.1');
      try {
        const page = `http://127.0.0.1:${port}/realtime/inspector`;
        expect((await fetch(page)).status).toBe(404); // without the secret there is no page
        const token = encodeURIComponent(process.env.INSPECTOR_TOKEN ?? '');
        const answer = await fetch(`${page}?access_token=${token}`);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toMatch(/text\/html/);
      } finally {
        await rt.close();
      }
    },
  },
  [`${SERVER} § Shutdown #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
import { createServer } from 'node:http';
import { createRealtimeServer } from '@oxidite/server';
const rt = createRealtimeServer({ topics });
const http = createServer();
rt.attach(http);
http.listen(0, '127.0.0.1');`,
    epilogue: 'export { http, shutdown };',
    async run(load) {
      const { http, shutdown } = (await load()) as { http: Server; shutdown: () => void };
      try {
        const ws = new WebSocket(`${(await listening(http)).replace('http', 'ws')}/ws`, 'oxidite.v1');
        await once(ws, 'message'); // welcome
        const closed = once(ws, 'close');
        process.emit('SIGTERM'); // what the platform sends; the listener runs, the test process stays
        const [event] = await closed;
        expect((event as WebSocket.CloseEvent).code).toBe(1001);
        await once(http, 'close');
      } finally {
        process.removeListener('SIGINT', shutdown);
        process.removeListener('SIGTERM', shutdown);
        http.closeAllConnections();
      }
    },
  },
  [`${SERVER} § Analytics #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
const app = (_req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => res.end('app');`,
    epilogue: 'export { rt, http, analytics };',
    async run(load) {
      const { rt, http, analytics } = (await load()) as {
        rt: RealtimeServer<TopicMap>;
        http: Server;
        analytics: AnalyticsService;
      };
      http.listen(0, '127.0.0.1');
      const origin = await listening(http);
      try {
        const body = JSON.stringify({ type: 'page_view', sessionId: 's1', timestamp: Date.now() });
        const posted = await fetch(`${origin}/analytics`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(posted.status).toBe(202);
        await analytics.flush();
        const metrics = await (await fetch(`${origin}/analytics/metrics`)).json();
        expect(metrics).toMatchObject({ pageViews: 1, eventCounts: { page_view: 1, signup: 1 } });
        expect(await (await fetch(`${origin}/other`)).text()).toBe('app');
        // "Push live metrics to dashboards over WebSocket and SSE": the SSE endpoint is served.
        const stream = new AbortController();
        const sse = await fetch(`${origin}/events?topic=analytics:metrics`, { signal: stream.signal });
        expect([sse.status, sse.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
        stream.abort();
      } finally {
        await analytics.close();
        await rt.close();
        await closeHttp(http);
      }
    },
  },
  [`${SERVER} § Notifications #0`]: {
    env: 'node',
    prelude: `${APP_TOPICS}
import type { IncomingMessage } from 'node:http';
import type { Principal } from '@oxidite/server';
const sessionPrincipal = (req: IncomingMessage): Principal | null => (req.headers['x-user'] ? { id: String(req.headers['x-user']) } : null);
const auth = ({ req }: { req: IncomingMessage }) => sessionPrincipal(req);`,
    epilogue: 'export { rt, notifications };',
    async run(load) {
      // The snippet's SQLite file is relative to the working directory, as a user's would be.
      const cwd = process.cwd();
      const dir = mkdtempSync(path.join(tmpdir(), 'oxidite-docs-'));
      process.chdir(dir);
      try {
        const { rt, notifications } = (await load()) as {
          rt: RealtimeServer<TopicMap>;
          notifications: NotificationService;
        };
        const page = await notifications.list('42', {});
        expect(page.items).toMatchObject([{ title: 'New reply', category: 'reply', read: false }]);
        await rt.close();
      } finally {
        process.chdir(cwd);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
};
