import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { checkSseText, openRawSse, POSITIONS_RE } from './support/sse-oracle';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** The `id:` values of a stream. */
const ids = (text: string): string[] => [...text.matchAll(/^id: ?(.*)$/gm)].map((m) => m[1] as string);

/** Attack table of issue #14 item 2: SSE event injection through the resume position. */
describe('SSE event injection (issue #14 item 2)', () => {
  const injection = 'a,x\n\nevent: close\ndata: {"code":4403}\n';
  const attacks: [attack: string, query: string, headers: Record<string, string>][] = [
    [
      'lastEventId query with CR/LF and a forged close',
      `&topic=room:1&lastEventId=${encodeURIComponent(injection)}`,
      {},
    ],
    ['lastEventId query forging retry', `&lastEventId=${encodeURIComponent('x\nretry: 86400000\n')}`, {}],
    ['lastEventId of junk positions', `&topic=room:1&lastEventId=${encodeURIComponent('<script>,:::')}`, {}],
    ['Last-Event-ID header of junk positions', '&topic=room:1', { 'last-event-id': 'evil: yes,data: x' }],
    ['Last-Event-ID header, one position junk, one valid', '&topic=room:1', { 'last-event-id': 'zz:1,k3x9:abc' }],
  ];
  it.each(attacks)(
    '%s → dropped, never echoed; the stream holds only listed fields',
    async (_attack, query, headers) => {
      const server = t.track(await startTestServer());
      await server.rt.publish('chat', { text: 'before' });
      const sse = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=chat${query}`, { headers });
      const topics = query.includes('room:1') ? 2 : 1;
      await sse.until((text) => (text.match(/event: subscribed/g) ?? []).length === topics);
      await server.rt.publish('chat', { text: 'after' });
      await sse.until((text) => text.includes('"after"'));
      expect(checkSseText(sse.text)).toEqual([]);
      expect(sse.text).not.toContain('event: close');
      expect(sse.text).not.toMatch(/retry: 86400000/);
      for (const id of ids(sse.text)) expect(id).toMatch(POSITIONS_RE);
      sse.close();
    },
  );

  it('property: no query string or header value adds a line or a field to the stream', async () => {
    const server = t.track(await startTestServer());
    const base = `http://127.0.0.1:${server.port}/events`;
    // Header values Node lets a client send (no CR, LF or NUL); query values are any string.
    const headerValue = fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ''));
    const topics = fc.array(fc.oneof(fc.constantFrom('chat', 'room:1', 'numbers'), fc.string({ maxLength: 20 })), {
      minLength: 1,
      maxLength: 3,
    });
    await fc.assert(
      fc.asyncProperty(topics, fc.string({ maxLength: 80 }), headerValue, async (names, lastEventId, header) => {
        const query = `${names.map((n) => `topic=${encodeURIComponent(n)}`).join('&')}&lastEventId=${encodeURIComponent(lastEventId)}`;
        const sse = await openRawSse(`${base}?${query}`, header ? { headers: { 'last-event-id': header } } : {});
        if (sse.status === 200) {
          // Every named topic is answered (subscribed or error), de-duplicated: wait for the first answer.
          await sse.until((text) => /event: (subscribed|error)/.test(text));
          expect(checkSseText(sse.text)).toEqual([]);
          expect(sse.text).not.toContain('event: close');
          for (const id of ids(sse.text)) expect(id).toMatch(POSITIONS_RE);
        }
        sse.close();
      }),
      { numRuns: 60, seed: 1425 },
    );
  });
});

/** A page on another origin reads the stream with `fetch` only through CORS (issue: new-user run 3). */
describe('SSE across origins (CORS)', () => {
  const PAGE = 'https://app.example.com';
  const cors = (headers: Record<string, string | string[] | undefined>) => ({
    origin: headers['access-control-allow-origin'],
    credentials: headers['access-control-allow-credentials'],
    exposed: headers['access-control-expose-headers'],
    vary: headers['vary'],
  });
  const named = { origin: PAGE, credentials: 'true', exposed: 'retry-after', vary: 'origin' };

  it('an allowed origin gets its stream with its origin named back; a refused one reads only its 403', async () => {
    const server = t.track(await startTestServer({ security: { origins: [PAGE] } }));
    const base = `http://127.0.0.1:${server.port}/events?topic=chat`;
    const allowed = await openRawSse(base, { headers: { origin: PAGE } });
    expect([allowed.status, cors(allowed.headers)]).toEqual([200, named]);
    await allowed.until((text) => text.includes('event: subscribed'));
    allowed.close();

    const refused = await openRawSse(base, { headers: { origin: 'https://evil.example' } });
    await refused.until(() => false).catch(() => {});
    expect(refused.status).toBe(403);
    expect(refused.text).toBe('origin not allowed: https://evil.example\n');
    expect(cors(refused.headers).origin).toBe('https://evil.example');

    const noOrigin = await openRawSse(base);
    expect([noOrigin.status, cors(noOrigin.headers)]).toEqual([
      200,
      { origin: undefined, credentials: undefined, exposed: undefined, vary: undefined },
    ]);
    noOrigin.close();
  });

  it('a refusal a page must wait out (429) shows its Retry-After to the page', async () => {
    const server = t.track(
      await startTestServer({
        security: { origins: [PAGE], rateLimits: { connectionsPerAddress: { capacity: 1, refillPerSecond: 0.001 } } },
      }),
    );
    const base = `http://127.0.0.1:${server.port}/events?topic=chat`;
    (await openRawSse(base, { headers: { origin: PAGE } })).close();
    const limited = await openRawSse(base, { headers: { origin: PAGE } });
    expect(limited.status).toBe(429);
    expect(cors(limited.headers)).toEqual(named);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a preflight names the methods and the requested headers; a header list that is not one is not echoed', async () => {
    const server = t.track(await startTestServer({ security: { origins: [PAGE] } }));
    const base = `http://127.0.0.1:${server.port}/events?topic=chat`;
    const preflight = await openRawSse(base, {
      method: 'OPTIONS',
      headers: {
        origin: PAGE,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': PAGE,
      'access-control-allow-methods': 'GET, HEAD',
      'access-control-allow-headers': 'authorization',
    });
    const odd = await openRawSse(base, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-headers': 'x-a; evil=1' },
    });
    expect(odd.headers['access-control-allow-headers']).toBeUndefined();
  });
});

describe('SSE with an authorize hook that never settles (outside run 4)', () => {
  it('answers 503 with Retry-After after requestTimeout instead of holding the request for good', async () => {
    const server = t.track(
      await startTestServer({
        requestTimeout: 200,
        authorize: ({ topic }) => (topic === 'room:hung' ? new Promise<boolean>(() => {}) : true),
      }),
    );
    const sse = await openRawSse(`http://127.0.0.1:${server.port}/events?topic=room:hung&topic=chat`);
    await sse.until(() => false).catch(() => {});
    expect([sse.status, sse.headers['retry-after'], sse.text]).toEqual([503, '1', 'authorization timed out\n']);
  });
});

describe('the per-user cap on SSE, with an authorize hook that takes its time (outside run 4)', () => {
  it('parallel streams of one user past maxConnectionsPerUser get 429, even while none is open yet', async () => {
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    let allAsked = (): void => {};
    const everyoneWaits = new Promise<void>((resolve) => {
      allAsked = resolve;
    });
    const server = t.track(
      await startTestServer({
        auth: ({ token }) => (token ? { id: token } : null),
        authorize: async () => {
          if (++asked === 30) allAsked();
          await gate;
          return true;
        },
        security: { maxConnectionsPerUser: 10, rateLimits: { connectionsPerAddress: false } },
      }),
    );
    const url = `http://127.0.0.1:${server.port}/events?topic=chat&access_token=ann`;
    const streams = Array.from({ length: 30 }, () => openRawSse(url, { ms: 10_000 }));
    await everyoneWaits; // all 30 passed admission's own count: none was open yet
    release();
    const opened = await Promise.all(streams);
    const statuses = opened.map((sse) => sse.status);
    for (const sse of opened) sse.close();
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });
});
