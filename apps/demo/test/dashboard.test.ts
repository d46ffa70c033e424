import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasChromium, requireService } from '@oxidite/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import { launchBrowser, login, openPage, type WatchedPage, waitUntil } from './support/browser';
import { type DemoServer, startDemoServer } from './support/demo-server';

/** The dashboard's numbers as the page shows them (NaN before the first snapshot). */
async function readDashboard(page: Page) {
  const number = async (id: string) => Number(await page.getByTestId(id).textContent());
  const counts = await page
    .getByTestId('event-count')
    .evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute('data-type'), Number(row.querySelector('td')?.textContent)]),
    );
  return {
    pageViews: await number('metric-page-views'),
    uniqueVisitors: await number('metric-unique-visitors'),
    activeUsers: await number('metric-active-users'),
    chartTotal: Number(await page.getByTestId('chart').getAttribute('data-total')),
    counts: Object.fromEntries(counts) as Record<string, number>,
  };
}

/** The numbers of the first snapshot the page shows, recorded in the page when it shows them. */
type FirstFrame = { pageViews: number; uniqueVisitors: number };

/** Runs in the page before its scripts: records the first numbers the dashboard renders. */
function recordFirstFrame(): void {
  const target = window as unknown as { firstFrame?: FirstFrame };
  document.addEventListener('DOMContentLoaded', () => {
    const at = document.querySelector('[data-testid="metrics-at"]');
    if (!at) return;
    const observer = new MutationObserver(() => {
      // Observers run after the render that set `data-at`, so the numbers are from one snapshot.
      const read = (id: string) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent);
      target.firstFrame = { pageViews: read('metric-page-views'), uniqueVisitors: read('metric-unique-visitors') };
      observer.disconnect();
    });
    observer.observe(at, { attributes: true, attributeFilter: ['data-at'] });
  });
}

describe.skipIf(!requireService('chromium', hasChromium()))('live analytics dashboard', () => {
  let dataDir: string;
  let server: DemoServer;
  let browser: Browser;
  let dana: WatchedPage;
  const streams: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-dashboard-'));
    [server, browser] = await Promise.all([startDemoServer({ dataDir }), launchBrowser()]);
    const context = await browser.newContext();
    await context.addInitScript(recordFirstFrame);
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/events') streams.push(request.url());
    });
    dana = await openPage(context, server.url);
    await login(dana.page, 'Dana');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows consistent numbers from the first frame: this page view is counted with this visitor', async () => {
    const first = await waitUntil(
      () => dana.page.evaluate(() => (window as unknown as { firstFrame?: FirstFrame }).firstFrame),
      (frame) => frame !== undefined,
      'the first numbers on the dashboard',
    );
    // Not "Page views 0" beside "Unique visitors 1" (the login) until the page view is flushed.
    expect(first?.pageViews).toBeGreaterThanOrEqual(1);
    expect(first?.uniqueVisitors).toBe(1);
  });

  it('counts page views and clicks live over SSE, and the chart grows', async () => {
    const { page } = dana;
    // The page view of the first room arrives with a pushed snapshot (every 2 s).
    const before = await waitUntil(
      () => readDashboard(page),
      (d) => d.pageViews >= 1,
      'the first page view',
    );
    const shotBefore = await screenshot(page, 'dashboard-before');

    for (const room of ['random', 'lobby', 'random', 'lobby']) await page.getByTestId(`room-${room}`).click();

    const after = await waitUntil(
      () => readDashboard(page),
      (d) =>
        d.pageViews >= before.pageViews + 4 && (d.counts['click'] ?? 0) >= 4 && d.chartTotal >= before.chartTotal + 8,
      'four more page views and clicks',
    );
    expect(after.uniqueVisitors).toBeGreaterThanOrEqual(1);
    expect(after.activeUsers).toBeGreaterThanOrEqual(1);
    expect(after.counts['login']).toBeGreaterThanOrEqual(1);
    const shotAfter = await screenshot(page, 'dashboard-after');
    expect(shotAfter.equals(shotBefore)).toBe(false);
    // The numbers came over Server-Sent Events, not by polling.
    expect(streams.some((url) => new URL(url).searchParams.getAll('topic').includes('analytics:metrics'))).toBe(true);
  });

  it('counts a second visitor', async () => {
    const before = await readDashboard(dana.page);
    const eve = await openPage(await browser.newContext(), server.url);
    await login(eve.page, 'Eve');
    await waitUntil(
      () => readDashboard(dana.page),
      (d) => d.uniqueVisitors > before.uniqueVisitors && d.activeUsers >= 2 && d.pageViews > before.pageViews,
      'Eve in the numbers',
    );
    expect(dana.errors).toEqual([]);
    await screenshot(dana.page, 'dashboard-two-visitors');
  });
});
