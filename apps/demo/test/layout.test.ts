import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasChromium, requireService } from '@oxidite/test-utils';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import {
  connection,
  launchBrowser,
  login,
  messageTexts,
  openPage,
  sendChat,
  WAIT,
  waitFor,
  waitLive,
  waitUntil,
} from './support/browser';
import { type DemoServer, startDemoServer } from './support/demo-server';
import { layoutProblems, wrappedHeaderItems } from './support/layout';

/** The two sizes of issue #24: a phone and a laptop. */
const VIEWPORTS = [
  { device: 'phone', width: 390, height: 844 },
  { device: 'desktop', width: 1280, height: 800 },
] as const;

/** The panels shown: one at a time (tabs) on a phone, all three on a desktop. */
const visiblePanels = async (page: Page): Promise<string[]> => {
  const shown: string[] = [];
  for (const panel of ['chat', 'inbox', 'dashboard']) if (await page.getByTestId(panel).isVisible()) shown.push(panel);
  return shown;
};

/** A message with a word that used to break mid-word ("al ert(1)") in the phone layout. */
const MARKUP = 'Shown as text: <script>alert(1)</script> nothing runs.';

describe.skipIf(!requireService('chromium', hasChromium())).each(VIEWPORTS)(
  'the page at $width×$height',
  (viewport) => {
    const { device } = viewport;
    let dataDir: string;
    let server: DemoServer;
    let browser: Browser;
    let context: BrowserContext;
    let ada: Page;
    const notFound: string[] = [];

    /** Layout facts every screen must satisfy; the screenshot comes after, so a failure still leaves one. */
    async function check(page: Page, name: string): Promise<void> {
      expect(await layoutProblems(page), `${name} layout`).toEqual([]);
      expect(await wrappedHeaderItems(page), `${name} header on one line`).toEqual([]);
    }

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), `oxidite-demo-layout-${device}-`));
      [server, browser] = await Promise.all([startDemoServer({ dataDir }), launchBrowser()]);
      context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      context.on('response', (response) => {
        if (response.status() === 404) notFound.push(response.url());
      });
      ada = (await openPage(context, server.url)).page;
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('login: says it is not connected yet, fits the screen, no 404 (favicon)', async () => {
      await ada.getByTestId('login').waitFor();
      expect(await connection(ada)).toBe('not connected');
      await check(ada, 'login');
      await screenshot(ada, `layout-${device}-login`, { fullPage: false, docs: `${device}-login` });
      expect(notFound).toEqual([]);
    });

    it('chat: says an empty room is empty, then shows messages without clipping or breaking words', async () => {
      await login(ada, 'Ada Lovelace');
      await ada.getByTestId('messages-empty').waitFor();
      await check(ada, 'empty chat');
      await screenshot(ada, `layout-${device}-chat-empty`, { element: ada.getByTestId('chat') });

      const grace = (
        await openPage(
          await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } }),
          server.url,
        )
      ).page;
      await login(grace, 'Grace Hopper');
      await sendChat(grace, MARKUP);
      await waitFor(() => messageTexts(ada), [MARKUP]);
      await sendChat(ada, 'Hello Grace! Writing from a phone-sized window.');
      await waitFor(() => messageTexts(ada), [MARKUP, 'Hello Grace! Writing from a phone-sized window.']);
      expect(await ada.getByTestId('messages-empty').isVisible()).toBe(false);
      expect(await visiblePanels(ada)).toEqual(device === 'phone' ? ['chat'] : ['chat', 'inbox', 'dashboard']);
      await check(ada, 'chat');
      await screenshot(ada, `layout-${device}-chat`, {
        fullPage: device === 'desktop',
        docs: device === 'phone' ? 'phone-chat' : 'desktop-app',
      });
    });

    it('notifications: a received one fits the screen', async () => {
      if (device === 'phone') {
        await ada.getByTestId('bell').click(); // opens the notifications tab
        await waitFor(() => visiblePanels(ada), ['inbox']);
      }
      await ada.getByTestId('send-test-notification').click();
      await ada.getByTestId('notification').first().waitFor();
      // One time format everywhere: chat lines, notifications and the dashboard all say `14:03`.
      const times = await ada.locator('time').allTextContents();
      expect(times.length).toBeGreaterThanOrEqual(3);
      for (const time of times) expect(time).toMatch(/^\d\d:\d\d$/);
      await expect(ada.getByTestId('metrics-at').textContent()).resolves.toMatch(/^as of \d\d:\d\d$/);
      await check(ada, 'notifications');
      await screenshot(
        ada,
        `layout-${device}-notifications`,
        device === 'phone' ? { fullPage: false, docs: 'phone-notifications' } : { element: ada.getByTestId('inbox') },
      );
    });

    it('dashboard: a chart with labelled axes, a scale and a legend, readable on this screen', async () => {
      if (device === 'phone') {
        await ada.getByTestId('tab-dashboard').click();
        await waitFor(() => visiblePanels(ada), ['dashboard']);
      }
      await waitUntil(
        async () => Number(await ada.getByTestId('chart').getAttribute('data-total')),
        (total) => total >= 2,
        'the two page views in the chart',
      );
      const chart = ada.getByTestId('chart');
      await expect(chart.getByTestId('y-axis-title').textContent()).resolves.toBe('events per minute');
      await expect(chart.getByTestId('x-axis-title').textContent()).resolves.toBe('time');
      // A scale: at least 0 and one more tick, increasing upwards.
      const yTicks = (await chart.getByTestId('y-tick').allTextContents()).map(Number);
      expect(yTicks.length).toBeGreaterThanOrEqual(2);
      expect(yTicks).toEqual([...yTicks].sort((a, b) => a - b));
      expect(yTicks[0]).toBe(0);
      expect((await chart.getByTestId('x-tick').allTextContents()).length).toBeGreaterThanOrEqual(3);
      await expect(ada.getByTestId('chart-legend').getByRole('listitem').allTextContents()).resolves.toHaveLength(2);
      await check(ada, 'dashboard');
      await screenshot(
        ada,
        `layout-${device}-dashboard`,
        device === 'phone' ? { fullPage: false, docs: 'phone-dashboard' } : { element: ada.getByTestId('dashboard') },
      );
    });

    it('reconnecting: says when it retries and how many messages wait to be sent', async () => {
      if (device === 'phone') await ada.getByTestId('tab-chat').click();
      const { port } = server;
      await server.stop();
      await waitUntil(
        () => connection(ada),
        (text) => text?.startsWith('reconnecting') === true,
        'reconnecting',
      );
      await sendChat(ada, 'Sent while the server was down');
      await waitUntil(
        () => connection(ada),
        (text) => text?.includes('1 queued') === true,
        'one queued message',
      );
      expect(await connection(ada)).toMatch(/^reconnecting( in \d+ s|…) · 1 queued$/);
      await check(ada, 'reconnecting');
      await ada.evaluate(() => window.scrollTo(0, 0)); // typing scrolled to the composer; the header says it
      await screenshot(ada, `layout-${device}-reconnecting`, { fullPage: false, docs: `${device}-reconnecting` });

      server = await startDemoServer({ dataDir, port });
      await waitLive(ada);
      await ada.getByText('Sent while the server was down').waitFor({ timeout: WAIT });
      expect(notFound).toEqual([]);
    });

    it('offline: says so when the browser has no network, with the queued messages', async () => {
      await context.setOffline(true);
      await waitUntil(
        () => connection(ada),
        (text) => text?.startsWith('offline') === true,
        'offline',
      );
      await sendChat(ada, 'Sent while offline');
      await waitFor(() => connection(ada), 'offline · 1 queued');
      await check(ada, 'offline');
      await screenshot(ada, `layout-${device}-offline`, { fullPage: false });

      await context.setOffline(false);
      await waitLive(ada);
      await ada.getByText('Sent while offline').waitFor({ timeout: WAIT });
    });
  },
);
