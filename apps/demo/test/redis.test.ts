import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasChromium, hasRedisServer, type RedisServer, requireService, startRedis } from '@oxidite/test-utils';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import {
  launchBrowser,
  login,
  messageTexts,
  openPage,
  presentUsers,
  sendChat,
  tokenOf,
  type WatchedPage,
  waitFor,
  waitUntil,
} from './support/browser';
import { type DemoServer, startDemoServer } from './support/demo-server';

const canRun = requireService('chromium', hasChromium()) && requireService('redis-server', hasRedisServer());

describe.skipIf(!canRun)('two demo processes on one Redis', () => {
  let dataDir: string;
  let redis: RedisServer;
  let servers: DemoServer[] = [];
  let browser: Browser;
  let ada: WatchedPage;
  let grace: WatchedPage;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-redis-'));
    [redis, browser] = await Promise.all([startRedis(), launchBrowser()]);
    // The same Redis for messages and presence, the same SQLite file (WAL) for the inboxes.
    const env = { REDIS_URL: redis.url };
    servers = await Promise.all([startDemoServer({ dataDir, env }), startDemoServer({ dataDir, env })]);
    ada = await openPage(await browser.newContext(), servers[0]!.url);
    grace = await openPage(await browser.newContext(), servers[1]!.url);
    await Promise.all([login(ada.page, 'Ada'), login(grace.page, 'Grace')]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shares rooms, presence, notifications and analytics across the processes', async () => {
    for (const { page } of [ada, grace]) {
      await waitFor(async () => (await presentUsers(page)).sort(), ['ada', 'grace'], 'presence across processes');
    }
    await sendChat(ada.page, 'from process one');
    await sendChat(grace.page, 'from process two');
    for (const { page } of [ada, grace]) {
      await waitFor(async () => (await messageTexts(page)).sort(), ['from process one', 'from process two']);
    }

    // Grace asks process two to notify Ada, whose page is connected to process one.
    const response = await fetch(new URL('/api/notify', servers[1]!.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(grace.page)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Across processes', body: 'via Redis', to: 'Ada' }),
    });
    expect(response.status).toBe(201);
    await waitFor(() => ada.page.getByTestId('notification-title').allTextContents(), ['Across processes']);

    // One analytics store in Redis: each dashboard counts both users, whichever process they used.
    for (const { page } of [ada, grace]) {
      await waitUntil(
        async () => Number(await page.getByTestId('metric-unique-visitors').textContent()),
        (visitors) => visitors >= 2,
        'both visitors on each dashboard',
      );
    }
    for (const watched of [ada, grace]) expect(watched.errors).toEqual([]);
    await screenshot(ada.page, 'redis-two-processes');
  });
});
