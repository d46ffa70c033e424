import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleForBrowser, chromiumLaunchOptions, hasChromium, requireService } from '@oxidite/test-utils';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlock, startCli, workDir } from './support/cli';

const run = promisify(execFile);

/** The page: `@oxidite/client` subscribed to chat:lobby on the hub named in `?hub=`. */
const PAGE_SCRIPT = `
import { createClient } from '@oxidite/client';
const any = { '~standard': { version: 1, vendor: 'page', validate: (value) => ({ value }) } };
const seen = (window.seen = []);
const client = createClient({ url: new URL(location.href).searchParams.get('hub'), topics: { 'chat:{room}': any } });
client.subscribe('chat:lobby', (message) => seen.push(message)).ready.then(() => { window.isReady = true; });
`;

describe.skipIf(!requireService('chromium', hasChromium()))('a Python backend to a browser through the hub', () => {
  let browser: Browser;
  let front: Server;
  let frontOrigin: string;

  beforeAll(async () => {
    const { code } = await bundleForBrowser(PAGE_SCRIPT, { resolveDir: import.meta.dirname });
    front = createServer((req, res) => {
      if (req.url?.startsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      else
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><script type="module" src="/page.js"></script>');
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    frontOrigin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterAll(async () => {
    await browser?.close();
    front?.close();
  });

  it("the README's Python script (urllib.request only) publishes; Chromium with @oxidite/client receives", async () => {
    const cwd = workDir();
    const chat = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
    writeFileSync(
      path.join(cwd, 'oxidite.config.json'),
      JSON.stringify({ origins: [frontOrigin], topics: { 'chat:{room}': { schema: chat } } }),
    );
    const { program, port } = await startCli(cwd, { OXIDITE_API_KEY: 'change-me' });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${frontOrigin}/?hub=${encodeURIComponent(`ws://127.0.0.1:${port}/ws`)}`);
      await page.waitForFunction(() => (globalThis as { isReady?: boolean }).isReady === true, null, {
        timeout: 10_000,
      });

      const script = readmeBlock('python', 'urllib.request').replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
      expect(script).not.toMatch(/^\s*(import|from)\s+(?!json|urllib)/m); // the standard library only
      writeFileSync(path.join(cwd, 'publish.py'), script);
      const { stdout } = await run('python3', ['publish.py'], { cwd });
      expect(stdout).toContain("'topic': 'chat:lobby'");

      await page.waitForFunction(() => ((globalThis as { seen?: unknown[] }).seen?.length ?? 0) > 0, null, {
        timeout: 10_000,
      });
      expect(await page.evaluate(() => (globalThis as { seen?: unknown[] }).seen)).toEqual([{ text: 'hello' }]);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      program.kill('SIGTERM');
      await program.exited();
    }
  });
});
