import { defineMethods, defineTopics, notificationMethods, notificationTopics } from '@oxidite/protocol';
import {
  type AnalyticsHandler,
  type AuthRequest,
  createAnalyticsHandlers,
  createAnalyticsService,
  createMemoryBroker,
  createMemoryNotificationStore,
  createNotificationService,
} from '@oxidite/server';
import { expect, vi } from 'vitest';
import * as z from 'zod';
import { startBackend } from '../support/backend';
import { installBrowserPage } from '../support/browser-page';
import type { SnippetContexts } from '../support/context';

const CLIENT = 'packages/client/README.md';

/** The server side of the client README's topic and method maps. */
const topics = defineTopics({
  'chat:{room}': { schema: z.object({ text: z.string() }), presence: true },
  prices: z.object({ symbol: z.string(), price: z.number() }),
});
const methods = defineMethods({ 'rooms.list': { input: z.object({}), output: z.array(z.string()) } });
const auth = ({ token }: AuthRequest) => (token === 'docs-token' ? { id: '42' } : null);

interface Closable {
  close(): void;
}

const orders = defineTopics({ orders: z.object({ id: z.string(), total: z.number() }) });

/** packages/client/README.md. */
export const clientContexts: SnippetContexts = {
  [`${CLIENT} § State #0`]: {
    env: 'node',
    prelude: `import { createClient } from '@oxidite/client';
import { defineTopics } from '@oxidite/protocol';
import { WebSocket } from 'ws';
import * as z from 'zod/mini';
const client = createClient({
  url: process.env['DOCS_WS_URL'] ?? '',
  WebSocket,
  topics: defineTopics({ orders: z.object({ id: z.string(), total: z.number() }) }),
  reconnect: { minDelay: 10, maxDelay: 50 },
});`,
    epilogue: 'export { client };',
    async run(load) {
      const backend = await startBackend({ topics: orders });
      process.env['DOCS_WS_URL'] = backend.url;
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const { client } = (await load()) as { client: Closable & { ready: Promise<void> } };
      try {
        await client.ready;
        await backend.close(); // the server goes away: the client schedules attempts
        await vi.waitFor(
          () => expect(log).toHaveBeenCalledWith(expect.stringMatching(/^attempt 1 in 0 s, 0 queued$/)),
          {
            timeout: 10_000,
          },
        );
      } finally {
        client.close();
        log.mockRestore();
      }
    },
  },
  [`${CLIENT} § Offline queue #0`]: {
    env: 'node',
    prelude: `import { createClient } from '@oxidite/client';
import { defineTopics } from '@oxidite/protocol';
import { WebSocket } from 'ws';
import * as z from 'zod/mini';
const client = createClient({
  url: process.env['DOCS_WS_URL'] ?? '',
  WebSocket,
  topics: defineTopics({ orders: z.object({ id: z.string(), total: z.number() }) }),
});`,
    epilogue: 'export { client, offset, publish };',
    async run(load) {
      const broker = createMemoryBroker();
      const backend = await startBackend({ topics: orders, broker });
      process.env['DOCS_WS_URL'] = backend.url;
      try {
        const { client, offset, publish } = (await load()) as {
          client: Closable;
          offset: string;
          publish: () => Promise<{ offset: string }>;
        };
        // The same id again is the same message: the first offset, nothing published twice.
        expect(await publish()).toEqual({ offset });
        expect((await broker.history('orders', undefined, 10)).messages).toHaveLength(1);
        client.close();
      } finally {
        await backend.close();
      }
    },
  },
  [`${CLIENT} § Node and browsers #0`]: {
    env: 'node',
    prelude: `import { createClient } from '@oxidite/client';
import { defineTopics } from '@oxidite/protocol';
import * as z from 'zod/mini';
const url = process.env['DOCS_WS_URL'] ?? '';
const topics = defineTopics({ 'chat:{room}': z.object({ text: z.string() }) });`,
    epilogue: 'export { client };',
    async run(load) {
      const backend = await startBackend({ topics });
      process.env['DOCS_WS_URL'] = backend.url;
      try {
        const { client } = (await load()) as { client: Closable & { ready: Promise<void> } };
        await client.ready;
        client.close();
      } finally {
        await backend.close();
      }
    },
  },
  [`${CLIENT} § Quick start #0`]: {
    env: 'browser',
    prelude: `const auth = { getToken: async () => 'docs-token' };
const render = (_text: string, _offset: string) => {};
const reloadChatFromApi = () => {};
const showWhoIsHere = (_members: readonly unknown[]) => {};`,
    epilogue: 'export { offset, rooms };',
    async run(load) {
      const backend = await startBackend({ topics, methods, auth });
      backend.rt.rpc('rooms.list', () => ['lobby']);
      const restore = installBrowserPage(backend.origin);
      try {
        const { offset, rooms } = (await load()) as { offset: string; rooms: string[] };
        expect(offset).toMatch(/^\w+:1$/);
        expect(rooms).toEqual(['lobby']);
      } finally {
        restore();
        await backend.close();
      }
    },
  },
  [`${CLIENT} § Server-Sent Events #0`]: {
    env: 'browser',
    prelude: `import { analyticsTopics } from '@oxidite/protocol';
const topics = analyticsTopics;
const render = (_snapshot: unknown) => {};
const reload = (_topic: string) => {};
const indicator = { show: (_state: string) => {} };
const auth = { token: () => 'docs-token' };`,
    epilogue: 'export { stream };',
    async run(load) {
      const { analyticsTopics } = await import('@oxidite/protocol');
      const backend = await startBackend({ topics: analyticsTopics, auth });
      const restore = installBrowserPage(backend.origin);
      try {
        await load();
      } finally {
        restore();
        await backend.close();
      }
    },
  },
  [`${CLIENT} § Notification inbox #0`]: {
    env: 'browser',
    prelude: `const url = 'wss://example.com/ws';
const topics = {};
const token = () => 'docs-token';
const me = { id: '42' };
const render = (..._view: unknown[]) => {};
const id = String(Reflect.get(globalThis, 'docsNotificationId'));`,
    epilogue: 'export { client, inbox };',
    async run(load) {
      const backend = await startBackend({ topics: notificationTopics, methods: notificationMethods, auth });
      const service = createNotificationService({ store: createMemoryNotificationStore(), realtime: backend.rt });
      const sent = await service.send('42', { title: 'Hello', body: 'from the docs', category: 'docs' });
      Reflect.set(globalThis, 'docsNotificationId', sent.id);
      const restore = installBrowserPage(backend.origin);
      try {
        const { client, inbox } = (await load()) as { client: Closable; inbox: { items: readonly unknown[] } };
        expect(inbox.items).toEqual([]);
        expect((await service.list('42')).items).toEqual([]);
        client.close();
      } finally {
        Reflect.deleteProperty(globalThis, 'docsNotificationId');
        restore();
        await backend.close();
      }
    },
  },
  [`${CLIENT} § Analytics tracker #0`]: {
    env: 'browser',
    prelude: `const me = { id: '42' } as { id: string } | undefined;`,
    async run(load) {
      let ingest: AnalyticsHandler | undefined;
      const backend = await startBackend({ topics: {} }, (req, res) => {
        if (req.url !== '/analytics' || ingest === undefined) return false;
        void ingest(req, res);
        return true;
      });
      const analytics = createAnalyticsService();
      ({ ingest } = createAnalyticsHandlers(analytics));
      const restore = installBrowserPage(backend.origin);
      try {
        await load();
        await analytics.flush();
        expect((await analytics.metrics()).eventCounts).toEqual({ page_view: 1, 'cart:add': 1 });
      } finally {
        restore();
        await analytics.close();
        await backend.close();
      }
    },
  },
};
