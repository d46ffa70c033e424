import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_RATE } from '../src/server/api';
import { type DemoServer, startDemoServer } from './support/demo-server';

describe('the passwordless demo login (#14.9)', () => {
  let dataDir: string;
  let server: DemoServer;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-login-'));
    server = await startDemoServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is rate limited per address: a loop minting tokens for many names gets 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < LOGIN_RATE.capacity + 5; i++) {
      const response = await fetch(new URL('/api/login', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `name-${i}` }),
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(LOGIN_RATE.capacity + 1);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('says on the page that it is a demo login', async () => {
    const page = await (await fetch(server.url)).text();
    expect(page).toContain('This is a demo login: no password');
  });
});
