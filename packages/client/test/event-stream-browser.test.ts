import { chromiumLaunchOptions, hasChromium, requireService } from '@oxidite/test-utils';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontServer } from './support/front-server';
import { bundlePageScript, CLIENT_ENTRY } from './support/page-script';
import { startServer } from './support/harness';

/**
 * The page's script: a typed SSE stream of `numbers` with the browser's own `fetch`, recording
 * what it receives and its states on `window` for the test to read. The schema is a bare
 * Standard Schema validator, so the bundle needs no zod.
 */
const PAGE_SCRIPT = `
import { createEventStream } from ${JSON.stringify(CLIENT_ENTRY)};
const any = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
const seen = (window.seen = []);
const states = (window.states = []);
createEventStream('/events', {
  topics: { numbers: any },
  handlers: { numbers: (data) => seen.push(data.n) },
  onState: (change) => states.push({ to: change.to, status: change.status }),
  reconnect: { minDelay: 10, maxDelay: 50 },
});
`;

describe.skipIf(!requireService('chromium', hasChromium()))('createEventStream in Chromium', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    script = await bundlePageScript(PAGE_SCRIPT);
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(() => browser?.close());

  it('retries after a 503 and a 429 with the browser fetch, then receives', async () => {
    const server = await startServer({ sseRetry: 0 });
    const failures = [503, 429];
    const front = await startFrontServer(
      server.port,
      (_req, index) => {
        const status = failures[index - 1];
        if (status === undefined) return 'pass';
        return status === 429 ? { status, headers: { 'retry-after': '0' } } : { status };
      },
      {
        '/': { type: 'text/html', body: '<!doctype html><script type="module" src="/page.js"></script>' },
        '/page.js': { type: 'text/javascript', body: script },
      },
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${front.port}/`);
    await page.waitForFunction(
      () => (globalThis as { states?: { to: string }[] }).states?.at(-1)?.to === 'open',
      null,
      {
        timeout: 10_000,
      },
    );
    await server.rt.publish('numbers', { n: 1 });
    await page.waitForFunction(() => (globalThis as { seen?: number[] }).seen?.includes(1), null, { timeout: 10_000 });
    const states = await page.evaluate(() => (globalThis as { states?: unknown }).states);
    expect(states).toEqual([
      { to: 'reconnecting', status: 503 },
      { to: 'open', status: undefined },
    ]);
    expect(front.urls).toHaveLength(3);
    expect(errors).toEqual([]);
    await page.close();
  });
});
