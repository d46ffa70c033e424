import { chromiumLaunchOptions, hasChromium, requireService } from '@oxidite/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontServer } from './support/front-server';
import { bundlePageScript, CLIENT_ENTRY } from './support/page-script';
import { startServer, type TestServer } from './support/harness';

/**
 * A page served from one origin that connects to a realtime server on another (another port is
 * another origin), with both clients, recording states and messages on `window`. The server's
 * address comes in the page's fragment.
 */
const PAGE_SCRIPT = `
import { createClient, createEventStream } from ${JSON.stringify(CLIENT_ENTRY)};
const any = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
const server = location.hash.slice(1);
const record = (window.record = { ws: [], sse: [], wsSeen: [], sseSeen: [], retries: 0 });
const client = createClient({ url: 'ws://' + server + '/ws', topics: { numbers: any }, reconnect: { minDelay: 10, maxDelay: 50 } });
client.on('state', ({ to, code, reason }) => record.ws.push({ to, code, reason }));
client.on('retry', () => record.retries++);
client.subscribe('numbers', (data) => record.wsSeen.push(data.n));
createEventStream('http://' + server + '/events', {
  topics: { numbers: any },
  handlers: { numbers: (data) => record.sseSeen.push(data.n) },
  onState: ({ to, status, reason }) => record.sse.push({ to, status, reason }),
  reconnect: { minDelay: 10, maxDelay: 50 },
});
`;

interface Record {
  ws: { to: string; code?: number; reason?: string }[];
  sse: { to: string; status?: number; reason?: string }[];
  wsSeen: number[];
  sseSeen: number[];
  retries: number;
}

describe.skipIf(!requireService('chromium', hasChromium()))('a page on another origin, in Chromium', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    script = await bundlePageScript(PAGE_SCRIPT);
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(() => browser?.close());

  async function openPage(server: TestServer): Promise<{ page: Page; origin: string }> {
    const front = await startFrontServer(0, () => ({ status: 404 }), {
      '/': { type: 'text/html', body: '<!doctype html><script type="module" src="/page.js"></script>' },
      '/page.js': { type: 'text/javascript', body: script },
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${front.port}/#127.0.0.1:${server.port}`);
    return { page, origin: `http://127.0.0.1:${front.port}` };
  }

  const recordOf = (page: Page): Promise<Record> =>
    page.evaluate(() => (globalThis as unknown as { record: Record }).record);

  it('an origin the server does not allow: both clients stop at once and say why, instead of retrying', async () => {
    const server = await startServer(); // same-origin by default
    const { page, origin } = await openPage(server);
    await page.waitForFunction(
      () => {
        const { ws, sse } = (globalThis as unknown as { record: Record }).record;
        return ws.at(-1)?.to === 'closed' && sse.at(-1)?.to === 'closed';
      },
      null,
      { timeout: 10_000 },
    );
    const record = await recordOf(page);
    expect(record.ws.at(-1)).toEqual({ to: 'closed', code: 1008, reason: `origin not allowed: ${origin}` });
    expect(record.ws.filter((change) => change.to === 'reconnecting')).toEqual([]);
    expect(record.retries).toBe(0);
    expect(record.sse.at(-1)).toMatchObject({ to: 'closed', status: 403 });
    expect(record.sse.filter((change) => change.to === 'reconnecting')).toEqual([]);
    await page.close();
  });

  it('an origin the server allows: the WebSocket and the event stream both receive', async () => {
    const server = await startServer({ security: { origins: '*' } });
    const { page } = await openPage(server);
    await page.waitForFunction(
      () => {
        const { ws, sse } = (globalThis as unknown as { record: Record }).record;
        return ws.at(-1)?.to === 'open' && sse.at(-1)?.to === 'open';
      },
      null,
      { timeout: 10_000 },
    );
    await server.rt.publish('numbers', { n: 7 });
    await page.waitForFunction(
      () => {
        const { wsSeen, sseSeen } = (globalThis as unknown as { record: Record }).record;
        return wsSeen.includes(7) && sseSeen.includes(7);
      },
      null,
      { timeout: 10_000 },
    );
    expect((await recordOf(page)).sse.map((change) => change.to)).toEqual(['open']);
    await page.close();
  });
});
