import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { analyticsTopics } from '@oxidite/protocol';
import { type AnalyticsHandler, createAnalyticsHandlers, createAnalyticsService } from '@oxidite/server';
import { eventually } from '@oxidite/test-utils';
import type { Express } from 'express';
import { expect } from 'vitest';
import { startBackend } from '../support/backend';
import { installBrowserPage } from '../support/browser-page';
import type { SnippetContexts } from '../support/context';

const SERVER = 'packages/server/README.md';

/** packages/server/README.md: the snippets that meet a web framework or a browser page. */
export const serverWebContexts: SnippetContexts = {
  [`${SERVER} § Server-Sent Events #0`]: {
    env: 'node',
    prelude: `import express from 'express';\nconst app = express();`,
    epilogue: 'export { app };',
    async run(load) {
      const { app } = (await load()) as { app: Express };
      const http: Server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => http.once('listening', resolve));
      const abort = new AbortController();
      try {
        const { port } = http.address() as AddressInfo;
        const response = await fetch(`http://127.0.0.1:${port}/clock`, { signal: abort.signal });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      } finally {
        abort.abort();
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
      }
    },
  },
  [`${SERVER} § Analytics #1`]: {
    env: 'browser',
    prelude: `import { createClient } from '@oxidite/client';
import { analyticsTopics } from '@oxidite/protocol';
const client = createClient({ url: 'wss://example.com/ws', topics: analyticsTopics });
const sessionId = 'docs-session';
const rendered: unknown[] = [];
const render = (snapshot: unknown) => rendered.push(snapshot);`,
    epilogue: 'export { client, rendered };',
    async run(load) {
      let ingest: AnalyticsHandler = async (_req, res) => void res.writeHead(503).end();
      const backend = await startBackend({ topics: analyticsTopics }, (req, res) => {
        if (req.url !== '/analytics') return false;
        void ingest(req, res);
        return true;
      });
      const analytics = createAnalyticsService({ realtime: backend.rt });
      ({ ingest } = createAnalyticsHandlers(analytics));
      const restore = installBrowserPage(backend.origin);
      let close = () => {};
      try {
        const { client, rendered } = (await load()) as { client: { close(): void }; rendered: unknown[] };
        close = () => client.close();
        await eventually(async () => {
          await analytics.flush();
          expect((await analytics.metrics()).pageViews).toBe(1);
        }, 'the beacon');
        await eventually(async () => {
          await analytics.publishNow();
          expect(rendered.at(-1)).toMatchObject({ pageViews: 1 });
        }, 'the live snapshot');
      } finally {
        close();
        restore();
        await analytics.close();
        await backend.close();
      }
    },
  },
};
