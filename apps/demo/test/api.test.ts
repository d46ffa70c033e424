import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './support/demo-server';

describe('the demo server over HTTP', () => {
  let dataDir: string;
  let server: DemoServer;
  const call = (pathname: string, init: RequestInit = {}) => fetch(new URL(pathname, server.url), init);
  const postJson = (pathname: string, body: unknown, token?: string) =>
    call(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'oxidite-demo-api-'));
    server = await startDemoServer({ dataDir });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const response = await call('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('data-testid="conn"');
    expect((await call('/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await call('/../package.json')).status).toBe(404);
  });

  it('logs in with a name: the user id is the normalised name', async () => {
    const response = await postJson('/api/login', { name: '  Ada   Lovelace ' });
    expect(response.status).toBe(200);
    const { token, user } = (await response.json()) as { token: string; user: unknown };
    expect(user).toEqual({ id: 'ada-lovelace', name: 'Ada Lovelace' });
    const me = await call('/api/me', { headers: { authorization: `Bearer ${token}` } });
    await expect(me.json()).resolves.toEqual({ user: { id: 'ada-lovelace', name: 'Ada Lovelace' } });
  });

  it('refuses bad input with the right status', async () => {
    expect((await postJson('/api/login', { name: '   ' })).status).toBe(400);
    expect((await postJson('/api/login', { name: '!!!' })).status).toBe(400);
    expect((await postJson('/api/login', { name: 'x'.repeat(41) })).status).toBe(400);
    expect((await call('/api/login', { method: 'POST', body: 'name=ada' })).status).toBe(415);
    expect((await call('/api/login')).status).toBe(405);
    expect((await call('/api/me')).status).toBe(401);
    expect((await postJson('/api/notify', { title: 'hi' })).status).toBe(401);
    expect((await postJson('/api/notify', { title: 'hi' }, 'not-a-token')).status).toBe(401);
    expect((await call('/events?topic=analytics:metrics')).status).toBe(401);
  });

  it('sends notifications over HTTP to the caller and to another user', async () => {
    const { token } = (await (await postJson('/api/login', { name: 'Grace' })).json()) as { token: string };
    expect((await postJson('/api/notify', { title: '' }, token)).status).toBe(400);
    const response = await postJson('/api/notify', { title: 'Hello', body: 'there', to: 'Ada Lovelace' }, token);
    expect(response.status).toBe(201);
    const { sent } = (await response.json()) as { sent: { userId: string; title: string }[] };
    expect(sent.map((n) => n.userId)).toEqual(['grace', 'ada-lovelace']);
  });

  it('ingests analytics events and reports them in the metrics', async () => {
    const ingest = await postJson('/api/analytics', {
      events: [
        { type: 'page_view', sessionId: 'api-test', properties: { path: '/' } },
        { type: 'click', sessionId: 'api-test' },
      ],
    });
    expect(ingest.status).toBe(202);
    expect((await postJson('/api/analytics', { type: 'bad type!' })).status).toBe(400);
    const metrics = (await (await call('/api/metrics')).json()) as {
      pageViews: number;
      eventCounts: Record<string, number>;
    };
    expect(metrics.pageViews).toBeGreaterThanOrEqual(1);
    expect(metrics.eventCounts['click']).toBeGreaterThanOrEqual(1);
    expect(metrics.eventCounts['login']).toBeGreaterThanOrEqual(2); // tracked by the server itself
  });

  it('exits 0 on SIGTERM', async () => {
    await expect(server.stop()).resolves.toBe(0);
  });
});
