import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AnalyticsHandlersOptions,
  type AnalyticsServiceOptions,
  createAnalyticsHandlers,
  createAnalyticsService,
} from '../../src/index';
import { createMemoryRateLimiter } from '../../src/security/memory-rate-limiter';
import { createTestClock, EPOCH } from './support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A real HTTP server on 127.0.0.1:0: POST /collect → ingest, /metrics → metrics. */
async function startIngest(
  handlerOptions: AnalyticsHandlersOptions = {},
  serviceOptions: AnalyticsServiceOptions = {},
) {
  const clock = createTestClock(EPOCH + 30_000);
  const service = createAnalyticsService({ now: clock.now, flushInterval: 0, publishInterval: 0, ...serviceOptions });
  const { ingest, metrics } = createAnalyticsHandlers(service, handlerOptions);
  const server: Server = createServer((req, res) => {
    if (req.url === '/collect') void ingest(req, res);
    else if (req.url === '/metrics') void metrics(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await service.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${base}/collect`, { method: 'POST', body, headers });
  const snapshot = async () => (await (await fetch(`${base}/metrics`)).json()) as Record<string, unknown>;
  return { base, clock, service, post, snapshot };
}

const pageView = (userId: string) => ({ type: 'page_view', userId, properties: { path: '/' } });

describe('HTTP ingest', () => {
  it('accepts one event with 202 { accepted: 1 } and serves it in the metrics', async () => {
    const { post, snapshot } = await startIngest();
    const res = await post(JSON.stringify(pageView('a')));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1 });
    expect(await snapshot()).toMatchObject({ pageViews: 1, uniqueVisitors: 1, activeUsers: 1 });
  });

  it('accepts a batch { events: [...] }', async () => {
    const { post, snapshot } = await startIngest();
    const res = await post(JSON.stringify({ events: [pageView('a'), pageView('b'), { type: 'signup', userId: 'b' }] }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3 });
    expect(await snapshot()).toMatchObject({
      pageViews: 2,
      uniqueVisitors: 2,
      eventCounts: { page_view: 2, signup: 1 },
    });
  });

  it('accepts a text/plain body, as navigator.sendBeacon sends a string', async () => {
    const { post, snapshot } = await startIngest();
    const res = await post(JSON.stringify({ events: [pageView('beacon')] }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(res.status).toBe(202);
    expect((await snapshot()).pageViews).toBe(1);
  });

  it('answers 400 with the validation message, and 400 for malformed JSON', async () => {
    const { post } = await startIngest();
    const invalid = await post(JSON.stringify({ events: [pageView('a'), { type: 'bad type' }] }));
    expect(invalid.status).toBe(400);
    // The one error body of the server's HTTP endpoints (notifications and the hub answer the same).
    expect(await invalid.json()).toEqual({
      error: {
        code: 'invalid',
        message: 'invalid batch: events[1].type: expected an event type of A-Z a-z 0-9 _ . : -',
      },
    });
    const malformed = await post('{"type":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'malformed', message: 'body is not valid JSON' } });
  });

  it('answers 413 past maxBodySize, declared or streamed', async () => {
    const { base, post, service } = await startIngest({ maxBodySize: 1_024 });
    const big = JSON.stringify({ ...pageView('a'), properties: { pad: 'x'.repeat(1_100) } });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: { code: 'too_large', message: 'request body larger than 1024 bytes' },
    });

    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/collect`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.slice(0, 600)); // chunked: no Content-Length to trust
      req.end(big.slice(600));
    });
    expect(streamed).toBe(413);
    expect(service.stats().tracked).toBe(0);
  });

  it('answers 401 when authenticate refuses, and lets the right requests in', async () => {
    const { post } = await startIngest({ authenticate: (req) => req.headers['x-api-key'] === 'k1' });
    expect((await post(JSON.stringify(pageView('a')))).status).toBe(401);
    const ok = await post(JSON.stringify(pageView('a')), { 'content-type': 'application/json', 'x-api-key': 'k1' });
    expect(ok.status).toBe(202);
  });

  it('rate limits per client address with 429 and Retry-After, then lets it through after the refill', async () => {
    const clock = createTestClock(0);
    const rateLimiter = createMemoryRateLimiter({ now: clock.now });
    const { post } = await startIngest({ rateLimiter, rateRule: { capacity: 2, refillPerSecond: 0.5 } });
    expect((await post(JSON.stringify(pageView('a')))).status).toBe(202);
    expect((await post(JSON.stringify(pageView('a')))).status).toBe(202);
    const limited = await post(JSON.stringify(pageView('a')));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toEqual({
      error: { code: 'rate_limited', message: 'too many requests', retryAfter: 2_000 },
    });
    clock.advance(2_000);
    expect((await post(JSON.stringify(pageView('a')))).status).toBe(202);
  });

  it('answers 429 when the service queue is full', async () => {
    const { post } = await startIngest({}, { maxPending: 2, batchSize: 100 });
    expect((await post(JSON.stringify({ events: [pageView('a'), pageView('b')] }))).status).toBe(202);
    const full = await post(JSON.stringify(pageView('c')));
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toBe('1');
  });

  it('answers 405 for other methods and 415 for other media types', async () => {
    const { base, post } = await startIngest();
    const get = await fetch(`${base}/collect`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/metrics`, { method: 'POST', body: '{}' })).status).toBe(405);
    expect((await post('<event/>', { 'content-type': 'application/xml' })).status).toBe(415);
  });

  it('protects the metrics endpoint with authenticateMetrics', async () => {
    const { base } = await startIngest({ authenticateMetrics: (req) => req.headers.authorization === 'Bearer admin' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer admin' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toMatchObject({ pageViews: 0, perMinute: expect.any(Array) });
  });
});
