import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnalyticsEvent } from '@oxidite/protocol';
import { type AnalyticsService, createAnalyticsHandlers, createAnalyticsService } from '@oxidite/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker, type FetchLike, type RealtimeError, type Tracker, type TrackerOptions } from '../src/index';
import { createCondition, onTeardown } from './support/harness';

/**
 * The tracker against a real ingest endpoint: `createAnalyticsHandlers(service).ingest` on a
 * loopback HTTP server. Batches are seen on the wire (`fetch` is Node's, wrapped to record what it
 * sends) and in the service's metrics.
 */

interface Endpoint {
  readonly url: string;
  readonly service: AnalyticsService;
  /** Each request answered, in order: its status and content type. */
  readonly answered: { readonly status: number; readonly type: string | undefined }[];
  /** Resolves once `n` requests were answered. */
  requests(n: number): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, ingest: () => Promise<void>) => unknown;

/** An ingest endpoint on 127.0.0.1; `handle` may answer by itself instead of calling `ingest`. */
async function startEndpoint(handle: Handler = (_req, _res, ingest) => ingest()): Promise<Endpoint> {
  const service = createAnalyticsService({ flushInterval: 0, publishInterval: 0 });
  const { ingest } = createAnalyticsHandlers(service);
  const answered: Endpoint['answered'] = [];
  const arrived = createCondition();
  const server = createServer((req, res) => {
    res.on('finish', () => {
      answered.push({ status: res.statusCode, type: req.headers['content-type'] });
      arrived.notify();
    });
    void handle(req, res, () => ingest(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTeardown(() => service.close());
  onTeardown(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/analytics`,
    service,
    answered,
    requests: (n) => arrived.until(() => answered.length >= n, `${n} requests (have ${answered.length})`),
  };
}

/** Answers 500 without reading the body. */
const failing: Handler = (_req, res) => res.writeHead(500).end();

/** Node's `fetch`, recording every batch it is asked to send. */
function recordingFetch(): { fetch: FetchLike; batches: AnalyticsEvent[][]; keepalive: boolean[] } {
  const batches: AnalyticsEvent[][] = [];
  const keepalive: boolean[] = [];
  const fetch: FetchLike = (url, init) => {
    batches.push((JSON.parse(init.body) as { events: AnalyticsEvent[] }).events);
    keepalive.push(init.keepalive);
    return globalThis.fetch(url, init);
  };
  return { fetch, batches, keepalive };
}

function trackerFor(options: TrackerOptions): Tracker {
  const tracker = createTracker(options);
  onTeardown(() => tracker.close());
  return tracker;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const types = (batches: AnalyticsEvent[][]): string[][] => batches.map((batch) => batch.map((event) => event.type));

describe('tracker', () => {
  it('sends queued events as one { events } batch, with time, user and session', async () => {
    const endpoint = await startEndpoint();
    const { fetch, batches, keepalive } = recordingFetch();
    const tracker = trackerFor({ url: endpoint.url, fetch, userId: 'u1', sessionId: 's1', flushInterval: 0 });
    const before = Date.now();
    tracker.track('signup', { plan: 'pro', seats: 3 });
    tracker.pageView('/pricing');
    await tracker.flush();

    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject([
      { type: 'signup', userId: 'u1', sessionId: 's1', properties: { plan: 'pro', seats: 3 } },
      { type: 'page_view', userId: 'u1', sessionId: 's1', properties: { path: '/pricing' } },
    ]);
    expect(batches[0]?.every((event) => event.timestamp >= before && event.timestamp <= Date.now())).toBe(true);
    expect(keepalive).toEqual([true]);
    expect(endpoint.answered).toEqual([{ status: 202, type: 'application/json' }]);
    await endpoint.service.flush();
    const metrics = await endpoint.service.metrics();
    expect(metrics.eventCounts).toEqual({ signup: 1, page_view: 1 });
    expect([metrics.pageViews, metrics.uniqueVisitors]).toEqual([1, 1]);
  });

  it('sends as soon as batchSize events wait, and the rest on close', async () => {
    const endpoint = await startEndpoint();
    const { fetch, batches } = recordingFetch();
    const tracker = trackerFor({ url: endpoint.url, fetch, batchSize: 3, flushInterval: 60_000 });
    for (const type of ['a', 'b', 'c']) tracker.track(type);
    await endpoint.requests(1);
    tracker.track('d');
    tracker.track('e');
    expect(batches).toHaveLength(1); // below batchSize: nothing sent before the interval
    await tracker.close();
    expect(types(batches)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    tracker.track('f'); // closed: ignored
    expect((await endpoint.service.metrics()).eventCounts).toEqual({ a: 1, b: 1, c: 1, d: 1, e: 1 });
  });

  it('sends on the flush interval, in batches of batchSize', async () => {
    const endpoint = await startEndpoint();
    const { fetch, batches } = recordingFetch();
    const tracker = trackerFor({ url: endpoint.url, fetch, batchSize: 2, flushInterval: 10 });
    tracker.track('a');
    await endpoint.requests(1);
    for (const type of ['b', 'c', 'd']) tracker.track(type);
    await endpoint.requests(3);
    expect(types(batches)).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('retries a failed batch once at the next flush, then drops it and reports', async () => {
    const endpoint = await startEndpoint(failing);
    const errors: RealtimeError[] = [];
    const { fetch, batches } = recordingFetch();
    const tracker = trackerFor({ url: endpoint.url, fetch, flushInterval: 0, onError: (e) => errors.push(e) });
    tracker.track('a');
    tracker.track('b');
    await tracker.flush();
    expect(errors).toEqual([]);
    await tracker.flush();
    expect(types(batches)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'internal', message: expect.stringMatching(/dropped 2 .*HTTP 500/) });
    await tracker.flush();
    expect(batches).toHaveLength(2); // nothing left to send
  });

  it('delivers a batch whose first attempt failed', async () => {
    let refused = 0;
    const endpoint = await startEndpoint((req, res, ingest) =>
      refused++ === 0 ? failing(req, res, ingest) : ingest(),
    );
    const errors: RealtimeError[] = [];
    const tracker = trackerFor({ url: endpoint.url, flushInterval: 0, onError: (e) => errors.push(e) });
    tracker.track('a');
    await tracker.flush();
    tracker.track('b');
    await tracker.flush();
    expect(endpoint.answered.map((answer) => answer.status)).toEqual([500, 202, 202]);
    expect((await endpoint.service.metrics()).eventCounts).toEqual({ a: 1, b: 1 });
    expect(errors).toEqual([]);
  });

  it('reports a request that could not be made as disconnected', async () => {
    const errors: RealtimeError[] = [];
    const tracker = trackerFor({
      url: 'http://127.0.0.1:1/analytics',
      flushInterval: 0,
      onError: (e) => errors.push(e),
    });
    tracker.track('a');
    await tracker.flush();
    await tracker.flush();
    expect(errors.map((error) => error.code)).toEqual(['disconnected']);
    expect(errors[0]?.message).toMatch(/dropped 1 analytics event: the analytics request failed/);
  });

  it('keeps at most maxQueue events, dropping the oldest, and reports invalid events at once', async () => {
    const endpoint = await startEndpoint();
    const errors: RealtimeError[] = [];
    const tracker = trackerFor({ url: endpoint.url, maxQueue: 3, flushInterval: 0, onError: (e) => errors.push(e) });
    tracker.track('not a type!');
    tracker.track('ok', { nested: { no: 1 } } as never);
    expect(errors.map((error) => error.code)).toEqual(['invalid', 'invalid']);
    for (const type of ['e1', 'e2', 'e3', 'e4', 'e5']) tracker.track(type);
    await tracker.flush();
    expect(errors[2]).toMatchObject({ code: 'queue_full', message: expect.stringMatching(/dropped 2 /) });
    expect((await endpoint.service.metrics()).eventCounts).toEqual({ e3: 1, e4: 1, e5: 1 });
  });

  it('refuses a relative url where there is no page to resolve it against (Node), instead of sending nothing', async () => {
    // The outside run: the README's `url: '/analytics'` on Node exited 0 with no request and no error.
    const endpoint = await startEndpoint();
    let error: unknown;
    try {
      const tracker = createTracker({ url: '/analytics' });
      tracker.track('cart:add');
      await tracker.close();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'invalid',
      message: 'url "/analytics" is relative and there is no page to resolve it against: pass an absolute URL',
    });
    // Absolute, it is sent.
    const tracker = trackerFor({ url: endpoint.url, flushInterval: 0 });
    tracker.track('cart:add');
    await tracker.close();
    expect((await endpoint.service.metrics()).eventCounts).toEqual({ 'cart:add': 1 });
  });

  it('takes a relative url in a page, which resolves it against its location', () => {
    vi.stubGlobal('location', { href: 'https://shop.example/cart', pathname: '/cart' });
    expect(() => createTracker({ url: '/analytics', flushInterval: 0 })).not.toThrow();
    expect(() => createTracker({ url: 'http://[bad', flushInterval: 0 })).toThrow(/url "http:\/\/\[bad" is not a URL/);
  });

  it('refuses options out of range, and needs a fetch', () => {
    expect(() => createTracker({ url: '/a', batchSize: 501 })).toThrow(/batchSize/);
    expect(() => createTracker({ url: '/a', sessionId: '' })).toThrow(/sessionId/);
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    try {
      Reflect.deleteProperty(globalThis, 'fetch');
      expect(() => createTracker({ url: '/a' })).toThrow(/pass \{ fetch \}/);
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'fetch', descriptor);
    }
  });
});
