import { describe, expect, it } from 'vitest';
import { KEYS, startTestHub } from './support/test-hub';

const admin = { authorization: `Bearer ${KEYS.admin}`, 'content-type': 'application/json' };

async function call(base: string, method: string, path: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: admin,
    ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: '{}' } : {}),
  });
  const text = await response.text();
  return { status: response.status, allow: response.headers.get('allow'), text };
}

describe('every route of the hub answers an unlisted method with 405 and Allow', () => {
  it('the health, readiness, metrics and OpenAPI endpoints: GET and HEAD only', async () => {
    await using t = await startTestHub();
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/metrics']) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const answer = await call(t.base, method, path);
        expect([path, method, answer.status, answer.allow]).toEqual([path, method, 405, 'GET, HEAD']);
      }
      expect([path, (await call(t.base, 'HEAD', path)).status]).toEqual([path, 200]);
    }
    // The hub's own endpoints answer with the error body of the API.
    expect(JSON.parse((await call(t.base, 'POST', '/healthz')).text)).toEqual({
      error: { code: 'method_not_allowed', message: 'POST not allowed on /healthz' },
    });
  });

  it('the API: HEAD where GET is allowed, and Allow names it', async () => {
    await using t = await startTestHub();
    const head = await call(t.base, 'HEAD', '/api/history?topic=news');
    expect([head.status, head.text]).toEqual([200, '']);
    expect((await call(t.base, 'HEAD', '/api/analytics/metrics')).status).toBe(200);
    const post = await call(t.base, 'POST', '/api/history?topic=news');
    expect([post.status, post.allow]).toEqual([405, 'GET, HEAD']);
    const both = await call(t.base, 'DELETE', '/api/users/ada/notifications');
    expect([both.status, both.allow]).toEqual([405, 'GET, HEAD, POST']);
    const get = await call(t.base, 'GET', '/api/publish');
    expect([get.status, get.allow]).toEqual([405, 'POST']);
  });

  it('the WebSocket path (426 without an upgrade) and the event stream path', async () => {
    await using t = await startTestHub();
    const ws = await call(t.base, 'POST', '/ws');
    expect([ws.status, ws.allow]).toEqual([405, 'GET, HEAD']);
    // A plain GET (no upgrade) is told what the path takes.
    const plain = await fetch(`${t.base}/ws`);
    expect([plain.status, plain.headers.get('upgrade'), await plain.json()]).toEqual([
      426,
      'websocket',
      { error: { code: 'upgrade_required', message: '/ws takes WebSocket upgrades only' } },
    ]);
    const events = await call(t.base, 'POST', '/events?topic=news');
    expect([events.status, events.allow]).toEqual([405, 'GET, HEAD, OPTIONS']);
  });
});
