import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDeafWebSocket, once } from '@oxidite/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './support/demo-server';

describe('the demo server stops cleanly', () => {
  let dataDir: string | undefined;
  let server: DemoServer | undefined;

  afterEach(async () => {
    await server?.stop().catch(() => null);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal} without stack traces, even with a client that ignores the close handshake`, async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-stop-'));
      server = await startDemoServer({ dataDir });
      const login = await fetch(new URL('/api/login', server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada' }),
      });
      const { token } = (await login.json()) as { token: string };
      const deaf = await connectDeafWebSocket(server.port, `/ws?access_token=${encodeURIComponent(token)}`);
      const sse = request(new URL('/events?topic=analytics:metrics', server.url));
      sse.on('error', () => {});
      sse.end();
      await once(sse, 'response', 5_000);
      const code = await server.stop(signal);
      const output = server.output();
      deaf.destroy();
      sse.destroy();
      expect(code, output).toBe(0);
      expect(output).not.toMatch(/^\s+at /m); // no stack trace
      expect(output).not.toContain('took too long');
    });
  }
});
