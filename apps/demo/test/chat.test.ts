import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasChromium, requireService } from '@oxidite/test-utils';
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
  type WatchedPage,
  waitFor,
} from './support/browser';
import { type DemoServer, startDemoServer } from './support/demo-server';

describe.skipIf(!requireService('chromium', hasChromium()))('chat in two browsers', () => {
  let dataDir: string;
  let server: DemoServer;
  let browser: Browser;
  let ada: WatchedPage;
  let grace: WatchedPage;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-chat-'));
    [server, browser] = await Promise.all([startDemoServer({ dataDir }), launchBrowser()]);
    // Two contexts: two separate browsers as far as storage goes, so two different users.
    ada = await openPage(await browser.newContext(), server.url);
    grace = await openPage(await browser.newContext(), server.url);
    await Promise.all([login(ada.page, 'Ada'), login(grace.page, 'Grace')]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows each user the other in the lobby and delivers their messages', async () => {
    for (const { page } of [ada, grace]) {
      await waitFor(async () => (await presentUsers(page)).sort(), ['ada', 'grace'], 'both users in the lobby');
    }
    await expect(ada.page.getByTestId('presence').textContent()).resolves.toContain('Ada (you)');

    await sendChat(ada.page, 'Hello from Ada');
    await waitFor(() => messageTexts(grace.page), ['Hello from Ada']);
    await sendChat(grace.page, 'Hi Ada, Grace here');
    for (const { page } of [ada, grace]) {
      await waitFor(() => messageTexts(page), ['Hello from Ada', 'Hi Ada, Grace here']);
    }
    await expect(grace.page.getByTestId('message-author').allTextContents()).resolves.toEqual(['Ada', 'Grace']);
    await screenshot(ada.page, 'chat-ada');
    await screenshot(grace.page, 'chat-grace');
  });

  it('replays a room’s history to a user who joins it, and updates presence on leave', async () => {
    await grace.page.getByTestId('room-random').click();
    await waitFor(() => presentUsers(ada.page), ['ada'], 'Grace left the lobby');
    await waitFor(() => presentUsers(grace.page), ['grace'], 'Grace alone in random');
    await sendChat(grace.page, 'first in random');
    await sendChat(grace.page, 'second in random');
    await waitFor(() => messageTexts(grace.page), ['first in random', 'second in random']);

    await ada.page.getByTestId('room-random').click();
    await waitFor(() => messageTexts(ada.page), ['first in random', 'second in random'], 'history on join');
    await waitFor(async () => (await presentUsers(grace.page)).sort(), ['ada', 'grace']);
    await ada.page.getByTestId('room-lobby').click();
    await waitFor(() => messageTexts(ada.page), ['Hello from Ada', 'Hi Ada, Grace here'], 'lobby history again');
    await screenshot(ada.page, 'chat-history');
  });

  it('shows markup in a message as text: no script runs, no element is added', async () => {
    await grace.page.getByTestId('room-lobby').click();
    await waitFor(() => messageTexts(grace.page), ['Hello from Ada', 'Hi Ada, Grace here']);
    const scriptsBefore = await grace.page.locator('script').count();
    const payloads = ['<script>alert(1)</script>', '<img src=x onerror="alert(2)">'];
    for (const payload of payloads) await sendChat(ada.page, payload);

    const expected = ['Hello from Ada', 'Hi Ada, Grace here', ...payloads];
    for (const { page } of [ada, grace]) await waitFor(() => messageTexts(page), expected);
    await expect(grace.page.locator('script').count()).resolves.toBe(scriptsBefore);
    await expect(grace.page.getByTestId('messages').locator('img, script').count()).resolves.toBe(0);
    for (const watched of [ada, grace]) {
      expect(watched.dialogs).toEqual([]);
      expect(watched.errors).toEqual([]);
    }
    await screenshot(grace.page, 'chat-markup-as-text');
  });
});
