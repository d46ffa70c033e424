import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasChromium, requireService } from '@oxidite/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import { launchBrowser, login, openPage, tokenOf, type WatchedPage, waitFor, waitLive } from './support/browser';
import { type DemoServer, startDemoServer } from './support/demo-server';

const unread = (page: Page) => page.getByTestId('unread-count').textContent();
const titles = (page: Page) => page.getByTestId('notification-title').allTextContents();

describe.skipIf(!requireService('chromium', hasChromium()))('notifications in two tabs of one user', () => {
  let dataDir: string;
  let server: DemoServer;
  let browser: Browser;
  let tab1: WatchedPage;
  let tab2: WatchedPage;
  let grace: WatchedPage;
  let token: string;

  /** Sends a notification over plain HTTP, as a backend job would. */
  async function notify(body: Record<string, string>): Promise<void> {
    const response = await fetch(new URL('/api/notify', server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-notify-'));
    [server, browser] = await Promise.all([startDemoServer({ dataDir }), launchBrowser()]);
    // One context, two tabs: the second tab finds the saved session and is the same user.
    const adaContext = await browser.newContext();
    tab1 = await openPage(adaContext, server.url);
    await login(tab1.page, 'Ada');
    tab2 = await openPage(adaContext, server.url);
    grace = await openPage(await browser.newContext(), server.url);
    await Promise.all([waitLive(tab2.page), login(grace.page, 'Grace')]);
    await expect(tab2.page.getByTestId('me-name').textContent()).resolves.toBe('Ada');
    token = await tokenOf(tab1.page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a notification sent over HTTP to every tab of the user, and only to them', async () => {
    await notify({ title: 'Build passed', body: 'main is green' });
    for (const { page } of [tab1, tab2]) {
      await waitFor(() => titles(page), ['Build passed']);
      await waitFor(() => unread(page), '1');
    }
    await notify({ title: 'Review requested', body: 'Ada asks Grace for a review', to: 'Grace' });
    for (const { page } of [tab1, tab2]) {
      await waitFor(() => titles(page), ['Review requested', 'Build passed']);
      await waitFor(() => unread(page), '2');
    }
    await waitFor(() => titles(grace.page), ['Review requested']);
    await waitFor(() => unread(grace.page), '1');
    await screenshot(tab2.page, 'notifications-two-unread');
  });

  it('syncs mark-read and mark-all-read between tabs', async () => {
    // Tabs of one window: bring each to the front before using it, as a user would (Chromium
    // throttles animation frames in background tabs, which slows Playwright's stability checks).
    await tab1.page.bringToFront();
    const build = tab1.page.getByTestId('notification').filter({ hasText: 'Build passed' });
    await build.getByTestId('mark-read').click();
    await waitFor(() => unread(tab2.page), '1', 'tab 2 sees the read from tab 1');
    await waitFor(
      () => tab2.page.getByTestId('notification').filter({ hasText: 'Build passed' }).getAttribute('data-read'),
      'true',
    );
    await tab2.page.bringToFront();
    await tab2.page.getByTestId('mark-all-read').click();
    await waitFor(() => unread(tab1.page), '0', 'tab 1 sees mark-all from tab 2');
    await waitFor(() => unread(grace.page), '1', 'another user’s inbox is untouched');
    await screenshot(tab1.page, 'notifications-all-read');
  });

  it('sends a test notification from the page and keeps the inbox across a reload', async () => {
    await tab1.page.bringToFront();
    await tab1.page.getByTestId('send-test-notification').click();
    for (const { page } of [tab1, tab2]) {
      await waitFor(async () => (await titles(page))[0], 'Test notification #1');
      await waitFor(() => unread(page), '1');
    }
    await tab2.page.bringToFront();
    await tab2.page.reload();
    await waitLive(tab2.page);
    await waitFor(() => titles(tab2.page), ['Test notification #1', 'Review requested', 'Build passed']);
    await waitFor(() => unread(tab2.page), '1');
    for (const watched of [tab1, tab2, grace]) expect(watched.errors).toEqual([]);
    await screenshot(tab2.page, 'notifications-after-reload');
  });
});
