import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions, hasChromium, requireService } from '@oxidite/test-utils';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Pages, startServer } from './support/harness';

/** How long a page may take to show something on a loaded machine. */
const WAIT_MS = 15_000;

/** Waits until the element `#id` of `page` shows `text`. */
async function shows(page: Page, id: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([id, text]) => document.getElementById(id ?? '')?.textContent?.includes(text ?? '') === true,
    [id, text],
    { timeout: WAIT_MS },
  );
}

describe.skipIf(!requireService('chromium', hasChromium()))('the hooks in Chromium', () => {
  let browser: Browser;
  let pages: Pages;

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [fileURLToPath(new URL('./support/chat-page.tsx', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"development"' }, // React's checks on, StrictMode-like warnings visible
      write: false,
      logLevel: 'silent',
    });
    pages = {
      '/': {
        type: 'text/html',
        body: '<!doctype html><div id="root"></div><script type="module" src="/page.js"></script>',
      },
      '/page.js': { type: 'text/javascript', body: bundled.outputFiles[0]?.text ?? '' },
    };
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(() => browser?.close());

  it('two users chat, see each other and a notification, across a server restart', async () => {
    let server = await startServer(0, pages);
    const errors: string[] = [];
    const open = async (user: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(`${user}: ${error.message}`));
      page.on('console', (message) => {
        // Chromium logs each refused or reset attempt while the server restarts, and the favicon's
        // 404: that is the test, not a fault. Anything else (a React warning) is.
        if (message.type() === 'error' && !/^(WebSocket connection to|Failed to load resource)/.test(message.text())) {
          errors.push(`${user}: ${message.text()}`);
        }
      });
      await page.goto(`${server.origin}/?user=${user}`);
      return page;
    };
    const alice = await open('alice');
    const bob = await open('bob');
    const say = async (page: Page, text: string) => {
      await page.fill('#text', text);
      await page.click('button');
    };
    try {
      for (const page of [alice, bob]) {
        await shows(page, 'state', 'state open');
        await shows(page, 'here', 'here: alice,bob');
      }
      await say(alice, 'hi bob');
      await shows(bob, 'messages', 'alice: hi bob');
      await server.notifications.send('bob', { title: 'ping', body: 'from the test', category: 'test' });
      await shows(bob, 'inbox', 'unread 1: ping');
      await shows(alice, 'inbox', 'unread 0: ');

      // Restart on the same port: the pages reconnect and resubscribe by themselves.
      await server.close();
      for (const page of [alice, bob]) await shows(page, 'state', 'state reconnecting');
      server = await startServer(server.port, pages);
      for (const page of [alice, bob]) {
        await shows(page, 'state', 'state open');
        await shows(page, 'here', 'here: alice,bob');
      }
      await say(bob, 'welcome back');
      await shows(alice, 'messages', 'bob: welcome back');
      await server.notifications.send('alice', { title: 'pong', body: 'after the restart', category: 'test' });
      await shows(alice, 'inbox', 'pong');
      // One subscription per topic per page on the new server, however many components use it.
      expect(server.subscribes.sort()).toEqual([
        'chat:lobby',
        'chat:lobby',
        'notifications:alice',
        'notifications:bob',
      ]);
      expect(errors).toEqual([]);
    } finally {
      await alice.context().close();
      await bob.context().close();
    }
  });
});
