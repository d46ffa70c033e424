import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions, hasChromium, requireService } from '@oxidite/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthHook } from '../../src/index';
import { useTestResources } from '../support/clients';
import { startTestServer } from '../support/test-server';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** `$ARTIFACTS_DIR/inspector` (`.ci/run` sets it), else `<repo>/.ci/artifacts/inspector`. */
const SCREENSHOT_DIR = path.join(process.env.ARTIFACTS_DIR || path.join(REPO, '.ci/artifacts'), 'inspector');

async function screenshot(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), png);
  expect(png.length, `${name}.png size`).toBeGreaterThan(8_000);
}

const t = useTestResources();
const TOKEN = 'inspector-secret-0123456789';
const auth: AuthHook = ({ token }) => (token ? { id: token } : null);

describe.skipIf(!requireService('chromium', hasChromium()))('the inspector page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(() => browser?.close());

  it('shows a client appear, tails a topic, and disconnects the client', async () => {
    const server = t.track(await startTestServer({ auth, inspector: { token: TOKEN, interval: 100 } }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`http://127.0.0.1:${server.port}/realtime/inspector?access_token=${TOKEN}`);
      await page.locator('#status', { hasText: 'live' }).waitFor({ timeout: 10_000 });

      const client = await t.connect(server.url, { headers: { authorization: 'Bearer ada' } });
      await client.subscribe('room:1');
      const row = page.locator('#connections tr', { hasText: 'ada' });
      // The row can first come from a snapshot taken between the connect and the subscribe: wait
      // for the one that shows the subscription (reading it at once failed under load).
      await row.filter({ hasText: 'room:1' }).waitFor({ timeout: 10_000 });
      await expect(row.textContent()).resolves.toContain('websocket');
      await page.locator('#topics tr', { hasText: 'room:1' }).waitFor({ timeout: 10_000 });

      await page.fill('#tail-topic', 'room:1');
      await page.click('#tail-button');
      await page.locator('#tail-state', { hasText: 'tailing room:1' }).waitFor({ timeout: 10_000 });
      await server.rt.publish('room:1', { n: 42 });
      await page.locator('#tail', { hasText: '"n":42' }).waitFor({ timeout: 10_000 });
      await screenshot(page, 'inspector-live');

      await row.locator('button.disconnect').click();
      expect(await client.closed).toEqual({ code: 4403, reason: 'disconnected by the inspector' });
      await page.locator('#closes tr', { hasText: '4403' }).waitFor({ timeout: 10_000 });
      await page.locator('#connections tr', { hasText: 'ada' }).waitFor({ state: 'detached', timeout: 10_000 });
      await screenshot(page, 'inspector-after-disconnect');
    } finally {
      await page.close();
    }
  });
});
