import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasChromium, requireService } from '@oxidite/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import {
  connection,
  launchBrowser,
  login,
  messageTexts,
  openPage,
  sendChat,
  tokenOf,
  type WatchedPage,
  waitFor,
  waitLive,
  waitUntil,
} from './support/browser';
import { type DemoServer, startDemoServer } from './support/demo-server';

const titles = (page: Page) => page.getByTestId('notification-title').allTextContents();

describe.skipIf(!requireService('chromium', hasChromium()))('a server restart', () => {
  let dataDir: string;
  let server: DemoServer;
  let browser: Browser;
  let ada: WatchedPage;
  let grace: WatchedPage;

  async function notifyAda(title: string): Promise<void> {
    const response = await fetch(new URL('/api/notify', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(ada.page)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, body: '' }),
    });
    expect(response.status).toBe(201);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-restart-'));
    [server, browser] = await Promise.all([startDemoServer({ dataDir }), launchBrowser()]);
    ada = await openPage(await browser.newContext(), server.url);
    grace = await openPage(await browser.newContext(), server.url);
    await Promise.all([login(ada.page, 'Ada'), login(grace.page, 'Grace')]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows reconnecting, then live, and loses or doubles nothing', async () => {
    await sendChat(ada.page, 'before the restart');
    await waitFor(() => messageTexts(grace.page), ['before the restart']);
    await notifyAda('Stored before the restart');
    await waitFor(() => titles(ada.page), ['Stored before the restart']);

    const { port } = server;
    const stoppedAt = Date.now();
    await expect(server.stop()).resolves.toBe(0); // SIGTERM: closes every connection with 1001, exits 0
    for (const { page } of [ada, grace]) {
      // `reconnecting in 2 s`: the indicator counts down to the attempt the client scheduled.
      await waitUntil(
        () => connection(page),
        (text) => /^reconnecting( in \d+ s|…)$/.test(text ?? ''),
        'reconnecting',
      );
    }
    await screenshot(ada.page, 'restart-reconnecting');

    // Sent while the server is down: the client holds it in its offline queue.
    await sendChat(ada.page, 'sent while the server was down');

    server = await startDemoServer({ dataDir, port });
    expect(server.port).toBe(port);
    for (const { page } of [ada, grace]) await waitLive(page);
    await sendChat(grace.page, 'after the restart');

    const expected = ['before the restart', 'sent while the server was down', 'after the restart'];
    for (const { page } of [ada, grace])
      await waitFor(() => messageTexts(page), expected, 'each message once, in order');

    // Notifications live in the SQLite file in DATA_DIR: the inbox reloads without doubling.
    await notifyAda('Sent after the restart');
    await waitFor(() => titles(ada.page), ['Sent after the restart', 'Stored before the restart']);
    await waitFor(() => ada.page.getByTestId('unread-count').textContent(), '2');
    // The same DEMO_SECRET: the saved token still works after a reload.
    await ada.page.reload();
    await waitLive(ada.page);
    await waitFor(() => titles(ada.page), ['Sent after the restart', 'Stored before the restart']);
    await waitFor(() => messageTexts(ada.page), ['sent while the server was down', 'after the restart']);
    // The dashboard's SSE stream came back by itself (no page watchdog): a snapshot pushed after the restart.
    await waitUntil(
      async () => Number(await grace.page.getByTestId('metrics-at').getAttribute('data-at')),
      (at) => at > stoppedAt,
      'a dashboard snapshot after the restart',
    );
    for (const watched of [ada, grace]) expect(watched.errors).toEqual([]);
    await screenshot(grace.page, 'restart-live-again');
  });

  it('sends the page back to the name prompt when a restart without DEMO_SECRET voids its token', async () => {
    await server.stop();
    server = await startDemoServer({ dataDir, env: { DEMO_SECRET: '' } });
    const page = (await openPage(await browser.newContext(), server.url)).page;
    await login(page, 'Ada');
    const { port } = server;
    await server.stop();
    server = await startDemoServer({ dataDir, port, env: { DEMO_SECRET: '' } }); // a new random key
    await waitFor(() => page.getByTestId('login').isVisible(), true, 'the name prompt again');
    await screenshot(page, 'restart-token-void-login');
    await login(page, 'Ada');
    await waitFor(() => titles(page), ['Sent after the restart', 'Stored before the restart'], 'the same inbox');
  });
});
