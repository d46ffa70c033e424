import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

const publish = { topic: 'chat:lobby', data: { text: 'hi' } };

/** Sends a body in chunks without Content-Length, so only the streamed bytes can pass the limit. */
function postChunked(base: string, key: string, chunks: string[]): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('the HTTP API refuses', () => {
  it('a missing key and an unknown key with 401 unauthorized', async () => {
    await using t = await startTestHub();
    expect(await t.api('/api/publish', { body: publish })).toEqual({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'missing API key' } },
    });
    expect(await t.api('/api/publish', { key: 'not-a-key', body: publish })).toEqual({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'invalid API key' } },
    });
  });

  it('a key outside its scope with 403 forbidden, for every scope', async () => {
    await using t = await startTestHub();
    const refused = [
      await t.api('/api/publish', { key: 'history', body: publish }),
      await t.api('/api/presence?topic=chat:lobby', { key: 'publish' }),
      await t.api('/api/history?topic=chat:lobby', { key: 'presence' }),
      await t.api('/api/analytics/metrics', { key: 'publish' }),
    ];
    expect(refused.map((r) => [r.status, r.body?.['error'].code])).toEqual(Array(4).fill([403, 'forbidden']));
    // admin implies every scope
    expect((await t.api('/api/presence?topic=chat:lobby', { key: 'admin' })).status).toBe(200);
  });

  it('a payload its topic schema refuses with 400 invalid and the path, publishing nothing', async () => {
    await using t = await startTestHub();
    const bad = await t.api('/api/publish', { key: 'publish', body: { topic: 'chat:lobby', data: { text: 7 } } });
    expect(bad).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: expect.stringContaining('text') } },
    });
    // all or nothing: news accepts anything, chat refuses, so news gets nothing either
    const mixed = await t.api('/api/publish', { key: 'publish', body: { topics: ['news', 'chat:lobby'], data: 1 } });
    expect(mixed.body?.['error'].code).toBe('invalid');
    const history = await t.api('/api/history?topic=news', { key: 'history' });
    expect(history.body?.['messages']).toEqual([]);
  });

  it('an undeclared topic with 404 unknown_topic, a bad request shape with 400 invalid', async () => {
    await using t = await startTestHub();
    const unknown = await t.api('/api/publish', { key: 'publish', body: { topic: 'nope', data: 1 } });
    expect(unknown).toEqual({
      status: 404,
      body: { error: { code: 'unknown_topic', message: 'unknown topic: nope' } },
    });
    const both = await t.api('/api/publish', { key: 'publish', body: { topic: 'news', topics: ['news'], data: 1 } });
    expect(both.body?.['error']).toEqual({ code: 'invalid', message: 'exactly one of topic, topics' });
    const extra = await t.api('/api/publish', { key: 'publish', body: { ...publish, surprise: 1 } });
    expect(extra.status).toBe(400);
    const noData = await t.api('/api/publish', { key: 'publish', body: { topic: 'news' } });
    expect(noData.body?.['error'].message).toContain('data');
    // A topic named twice would be published twice: refused, nothing published.
    const twice = await t.api('/api/publish', { key: 'publish', body: { topics: ['news', 'news'], data: 1 } });
    expect(twice).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    expect(twice.body?.['error'].message).toContain('each topic at most once');
    expect((await t.api('/api/history?topic=news', { key: 'history' })).body?.['messages']).toEqual([]);
  });

  it('data nested deeper than clients decode with 400 invalid, even 5,000 levels (was a stack overflow, 500)', async () => {
    await using t = await startTestHub({ maxBodyBytes: 65_536 });
    const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    for (const levels of [40, 5_000]) {
      const deep = await t.api('/api/publish', { key: 'publish', body: `{"topic":"news","data":${nest(levels)}}` });
      expect(deep).toEqual({
        status: 400,
        body: { error: { code: 'invalid', message: 'request body nested deeper than 32 levels' } },
      });
    }
    const fits = await t.api('/api/publish', { key: 'publish', body: `{"topic":"news","data":${nest(31)}}` });
    expect(fits.status).toBe(200);
  });

  it('a body that is not JSON (400 malformed) or not declared JSON (415)', async () => {
    await using t = await startTestHub();
    expect((await t.api('/api/publish', { key: 'publish', body: '{"topic":' })).body?.['error'].code).toBe('malformed');
    const text = await t.api('/api/publish', { key: 'publish', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(text).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
  });

  it('an oversized body with 413 too_large, by Content-Length and when streamed', async () => {
    await using t = await startTestHub(); // maxBodyBytes: 4096
    const big = { topic: 'news', data: 'x'.repeat(5000) };
    expect(await t.api('/api/publish', { key: 'publish', body: big })).toEqual({
      status: 413,
      body: { error: { code: 'too_large', message: 'request body larger than 4096 bytes' } },
    });
    const streamed = await postChunked(t.base, 'publish-key-0123456789', [
      '{"topic":"news","data":"',
      'y'.repeat(3000),
      'y'.repeat(3000),
      '"}',
    ]);
    expect(streamed).toEqual({ status: 413, body: { error: { code: 'too_large', message: expect.any(String) } } });
  });

  it('checks the key before reading a body: a stranger gets 401 even with an oversized body', async () => {
    await using t = await startTestHub();
    const big = { topic: 'news', data: 'x'.repeat(5000) };
    expect((await t.api('/api/publish', { key: 'nobody', body: big })).status).toBe(401);
  });

  it('an unknown route with 404 not_found and a wrong method with 405 and Allow', async () => {
    await using t = await startTestHub();
    expect(await t.api('/api/nothing', { key: 'admin' })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    const wrong = await fetch(`${t.base}/api/publish`, { headers: { authorization: 'Bearer admin-key-0123456789' } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(((await wrong.json()) as any).error.code).toBe('method_not_allowed');
  });

  it('bad query parameters with 400 invalid', async () => {
    await using t = await startTestHub();
    expect((await t.api('/api/history?topic=news&limit=0', { key: 'history' })).body?.['error'].code).toBe('invalid');
    expect((await t.api('/api/history', { key: 'history' })).body?.['error'].code).toBe('invalid');
    expect((await t.api('/api/presence?topic=zzz', { key: 'presence' })).status).toBe(404);
    const notification = await t.api('/api/users/42/notifications', {
      key: 'publish',
      body: { title: '', body: '', category: 'x' },
    });
    expect(notification.body?.['error'].code).toBe('invalid');
  });
});

describe('the HTTP API survives bad request targets', () => {
  /** Sends a raw request line, returns the status line of the answer (or what happened). */
  function rawRequest(port: number, target: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer admin-key-0123456789\r\nConnection: close\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text.split('\r\n')[0] ?? ''));
      socket.on('error', (error) => resolve(`error ${error.message}`));
    });
  }

  it('answers 400 to an unparsable absolute URL and a bad percent-encoding, and keeps serving', async () => {
    await using t = await startTestHub();
    expect(await rawRequest(t.hub.address.port, 'http://[/api/history')).toMatch(/^HTTP\/1.1 400/);
    expect(await rawRequest(t.hub.address.port, '/api/users/%E0%A4%A/notifications')).toMatch(/^HTTP\/1.1 400/);
    expect((await t.api('/healthz')).status).toBe(200);
  });
});

describe('guessing API keys', () => {
  it('is rate limited per address: after 20 refused keys even a valid one waits (429 with Retry-After)', async () => {
    await using t = await startTestHub();
    for (let i = 0; i < 20; i++)
      expect((await t.api('/api/history?topic=news', { key: `guess-${i}` })).status).toBe(401);
    const response = await fetch(`${t.base}/api/history?topic=news`, {
      headers: { authorization: 'Bearer admin-key-0123456789' },
    });
    expect(response.status).toBe(429);
    const seconds = Number(response.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(0);
    // PROTOCOL.md §5.3: a 429 carries `retryAfter` (ms) in the body too, as the server's endpoints do.
    const body = (await response.json()) as { error: { retryAfter: number } };
    expect(body).toEqual({
      error: { code: 'rate_limited', message: expect.any(String), retryAfter: expect.any(Number) },
    });
    expect(body.error.retryAfter).toBeGreaterThan(0);
    expect(Math.ceil(body.error.retryAfter / 1000)).toBeLessThanOrEqual(seconds);
  });
});

describe('the key headers (outside run 4)', () => {
  it('takes the Bearer scheme in any case; a Bearer key decides over X-Api-Key', async () => {
    await using t = await startTestHub();
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await fetch(`${t.base}/api/history?topic=news`, {
        headers: { authorization: `${scheme} admin-key-0123456789` },
      });
      expect([scheme, response.status]).toEqual([scheme, 200]);
    }
    const both = await fetch(`${t.base}/api/history?topic=news`, {
      headers: { authorization: 'Bearer wrong-key-0123456789', 'x-api-key': 'admin-key-0123456789' },
    });
    expect(both.status).toBe(401);
  });
});
