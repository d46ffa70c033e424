import { encodeBinaryFrame, RealtimeError } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client';
import { useTestResources } from './support/clients';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** A principal per `x-user` header: enough to test authorization without JWTs. */
const headerAuth = ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }) => {
  const user = req.headers['x-user'];
  return typeof user === 'string' ? { id: user } : null;
};

async function refusedStatus(url: string, headers: Record<string, string>): Promise<number> {
  const client = t.adopt(new RawClient(url, { headers }));
  const error = await client.opened.then(
    () => undefined,
    (e: Error) => e,
  );
  return Number(/HTTP (\d+)/.exec(error?.message ?? '')?.[1] ?? 101);
}

/**
 * How an Oxidite client (offering `oxidite.v1`) fares: `welcome`, or the close code and reason it
 * read after a handshake, with whether anything but the close came first.
 */
async function oxiditeOutcome(url: string, headers: Record<string, string>): Promise<string> {
  const client = t.adopt(new RawClient(url, { headers }));
  const refused = await client.opened.then(
    () => undefined,
    (e: Error) => e.message,
  );
  if (refused !== undefined) return refused;
  const welcomed = client.next('welcome').then(
    () => 'welcome',
    () => 'no welcome',
  );
  const closed = client.closed.then(
    ({ code, reason }) => `${code} ${reason}${client.received.length ? ' (after envelopes)' : ''}`,
  );
  return Promise.race([welcomed, closed]);
}

describe('attacks at the door (HTTP status before any upgrade)', () => {
  const allow = ['http://localhost:3000', 'https://*.example.com'];
  const origins: [attack: string, origin: string, outcome: string][] = [
    ['host suffix trick', 'http://localhost:3000.evil.com', '1008 malformed origin: http://localhost:3000.evil.com'],
    ['port prefix trick', 'http://localhost:30000', '1008 origin not allowed: http://localhost:30000'],
    [
      'mixed-case suffix trick',
      'http://LocalHost:3000.EVIL.com',
      '1008 malformed origin: http://LocalHost:3000.EVIL.com',
    ],
    ['opaque origin (sandboxed iframe, file://)', 'null', '1008 origin not allowed: null'],
    ['scheme downgrade', 'https://localhost:3000', '1008 origin not allowed: https://localhost:3000'],
    ['userinfo trick', 'http://localhost:3000@evil.com', '1008 malformed origin: http://localhost:3000@evil.com'],
    ['wildcard parent domain', 'https://example.com', '1008 origin not allowed: https://example.com'],
    ['wildcard lookalike', 'https://evilexample.com', '1008 origin not allowed: https://evilexample.com'],
    ['allowed origin, normalised case', 'http://LOCALHOST:3000', 'welcome'],
    ['allowed wildcard subdomain', 'https://app.example.com', 'welcome'],
  ];
  // An Oxidite client is let in only to read why (a browser cannot read a refused handshake's
  // status): closed at once with 1008, nothing sent before it. Anything else gets HTTP 403.
  it.each(origins)('%s (%s) → %s', async (_attack, origin, outcome) => {
    const server = t.track(await startTestServer({ security: { origins: allow } }));
    const bystander = await t.connect(server.url, { headers: { origin: 'http://localhost:3000' } });
    expect(await oxiditeOutcome(server.url, { origin })).toBe(outcome);
    const plain = t.adopt(new RawClient(server.url, { headers: { origin }, protocols: [] }));
    if (outcome === 'welcome') await plain.opened;
    else await expect(plain.opened).rejects.toThrow('HTTP 403');
    bystander.send({ type: 'ping' });
    await bystander.next('pong');
  });

  it('same-origin by default: a page from another site is refused (cross-site WebSocket hijacking)', async () => {
    const server = t.track(await startTestServer());
    expect(await oxiditeOutcome(server.url, { origin: 'https://evil.example' })).toBe(
      '1008 origin not allowed: https://evil.example',
    );
    expect(await refusedStatus(server.url, { origin: `http://127.0.0.1:${server.port}` })).toBe(101);
  });

  it('a refused origin is charged as a connection attempt: past the burst it gets 429, not handshakes', async () => {
    const server = t.track(
      await startTestServer({
        security: { rateLimits: { connectionsPerAddress: { capacity: 2, refillPerSecond: 0.001 } } },
      }),
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) outcomes.push(await oxiditeOutcome(server.url, { origin: 'https://evil.example' }));
    expect(outcomes).toEqual([
      '1008 origin not allowed: https://evil.example',
      '1008 origin not allowed: https://evil.example',
      'HTTP 429',
      'HTTP 429',
    ]);
  });

  it('connection burst from one address, spoofing X-Forwarded-For → 429 (proxies not trusted)', async () => {
    const server = t.track(
      await startTestServer({
        security: { rateLimits: { connectionsPerAddress: { capacity: 3, refillPerSecond: 0.001 } } },
      }),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await refusedStatus(server.url, { 'x-forwarded-for': `10.0.0.${i}` }));
    expect(statuses).toEqual([101, 101, 101, 429, 429, 429]);
  });

  it('trusted proxy: X-Forwarded-For from the proxy names the client, so limits apply per client', async () => {
    const server = t.track(
      await startTestServer({
        security: {
          trustProxy: ['127.0.0.1'],
          rateLimits: { connectionsPerAddress: { capacity: 1, refillPerSecond: 0.001 } },
        },
      }),
    );
    expect(await refusedStatus(server.url, { 'x-forwarded-for': '203.0.113.1' })).toBe(101);
    expect(await refusedStatus(server.url, { 'x-forwarded-for': '203.0.113.2' })).toBe(101);
    expect(await refusedStatus(server.url, { 'x-forwarded-for': '203.0.113.1' })).toBe(429);
  });

  it('an auth hook that refuses for good → close 4403 for an Oxidite client, HTTP 403 for anything else', async () => {
    const server = t.track(
      await startTestServer({
        auth: () => {
          throw new RealtimeError('forbidden', 'account suspended');
        },
      }),
    );
    const client = t.adopt(new RawClient(server.url));
    expect(await client.closed).toEqual({ code: 4403, reason: 'account suspended' });
    const other = t.adopt(new RawClient(server.url, { protocols: ['chat'] }));
    await expect(other.opened).rejects.toThrow('HTTP 403');
  });

  it('per-user connection cap → 429', async () => {
    const server = t.track(await startTestServer({ auth: headerAuth, security: { maxConnectionsPerUser: 2 } }));
    await t.connect(server.url, { headers: { 'x-user': 'ann' } });
    await t.connect(server.url, { headers: { 'x-user': 'ann' } });
    expect(await refusedStatus(server.url, { 'x-user': 'ann' })).toBe(429);
    expect(await refusedStatus(server.url, { 'x-user': 'bob' })).toBe(101);
  });

  it('no credentials with an auth hook → close 4401 for an Oxidite client, HTTP 401 for anything else', async () => {
    const server = t.track(await startTestServer({ auth: headerAuth }));
    const client = t.adopt(new RawClient(server.url));
    expect(await client.closed).toEqual({ code: 4401, reason: 'unauthorized' });
    expect(client.received).toEqual([]); // never welcomed, never served
    const other = t.adopt(new RawClient(server.url, { protocols: ['chat'] }));
    await expect(other.opened).rejects.toThrow('HTTP 401');
  });
});

describe('attacks on a live connection', () => {
  it("subscribing to another user's topic → forbidden, connection kept, nothing leaks", async () => {
    const server = t.track(await startTestServer({ auth: headerAuth }));
    const bob = await t.connect(server.url, { headers: { 'x-user': 'bob' } });
    const mallory = await t.connect(server.url, { headers: { 'x-user': 'mallory' } });
    expect(await bob.subscribe('user:bob')).toMatchObject({ type: 'subscribed' });
    expect(await mallory.subscribe('user:bob')).toMatchObject({ type: 'error', code: 'forbidden' });
    mallory.send({ type: 'publish', id: 5, topic: 'user:bob', data: { title: 'phish' } });
    expect(await mallory.next('error', (e) => e.id === 5)).toMatchObject({ code: 'forbidden' });
    await server.rt.publish('user:bob', { title: 'for bob only' });
    expect(await bob.next('message')).toMatchObject({ data: { title: 'for bob only' } });
    mallory.send({ type: 'ping' });
    await mallory.next('pong');
    expect(mallory.messages('user:bob')).toHaveLength(0);
    expect(bob.messages('user:bob').map((m) => m.data)).toEqual([{ title: 'for bob only' }]);
  });

  it('a subscribe flood under default limits → rate_limited, then closed with 4429; others served', async () => {
    const server = t.track(await startTestServer({ maxSubscriptions: 50 }));
    const bystander = await t.connect(server.url);
    await bystander.subscribe('chat');
    const flooder = await t.connect(server.url);
    for (let i = 0; i < 10_000 && flooder.ws.readyState === 1; i++) {
      flooder.send({ type: 'subscribe', id: i, topic: `room:${i}` });
    }
    expect((await flooder.closed).code).toBe(4429);
    expect(flooder.received.some((e) => e.type === 'error' && e.code === 'rate_limited')).toBe(true);
    await server.rt.publish('chat', { text: 'served' });
    expect(await bystander.next('message')).toMatchObject({ data: { text: 'served' } });
  });

  it('a request refused by the frame rate limit is answered with its id, so the client can settle it', async () => {
    const server = t.track(
      await startTestServer({
        security: { rateLimits: { messagesPerConnection: { capacity: 3, refillPerSecond: 0.001 } } },
      }),
    );
    const client = await t.connect(server.url);
    for (let i = 0; i < 3; i++) client.send({ type: 'ping' });
    for (let i = 0; i < 3; i++) await client.next('pong');
    client.send({ type: 'subscribe', id: 77, topic: 'chat' });
    client.send({ type: 'rpc', id: 78, method: 'nope', data: null });
    client.send({ type: 'publish', id: 79, topic: 'chat', data: { text: 'x' } });
    client.send(encodeBinaryFrame({ type: 'publish', id: 80, topic: 'files' }, new Uint8Array([1])));
    client.send('{"type":"subscribe","id":81,"topic":');
    for (const id of [77, 78, 79, 80]) {
      expect(await client.next('error', (e) => e.id === id)).toMatchObject({
        code: 'rate_limited',
        retryAfter: expect.any(Number),
      });
    }
    // Not even JSON: no id to give, the error still comes.
    expect(await client.next('error', (e) => e.id === undefined)).toMatchObject({ code: 'rate_limited' });
  });

  it('a publish burst → rate_limited with retryAfter, then 4429 when it goes on', async () => {
    const server = t.track(
      await startTestServer({
        security: { rateLimits: { publishesPerUser: { capacity: 5, refillPerSecond: 0.001 } }, abuseThreshold: 10 },
      }),
    );
    const spammer = await t.connect(server.url);
    for (let id = 1; id <= 5; id++) spammer.send({ type: 'publish', id, topic: 'chat', data: { text: `${id}` } });
    for (let id = 1; id <= 5; id++) await spammer.next('ack', (e) => e.id === id);
    spammer.send({ type: 'publish', id: 6, topic: 'chat', data: { text: '6' } });
    const limited = await spammer.next('error', (e) => e.id === 6);
    expect(limited).toMatchObject({ code: 'rate_limited' });
    expect(limited.retryAfter).toBeGreaterThan(0);
    for (let id = 7; id < 40; id++) spammer.send({ type: 'publish', id, topic: 'chat', data: { text: 'x' } });
    expect((await spammer.closed).code).toBe(4429);
  });

  it('a token that expires while connected → refresh request, then 4401 without a fresh token', async () => {
    const server = t.track(await startTestServer({ auth: () => ({ id: 'eve', expiresAt: Date.now() + 300 }) }));
    const client = await t.connect(server.url);
    const refresh = await client.next('refresh');
    expect(refresh.deadline).toBeLessThanOrEqual(300);
    expect((await client.closed).code).toBe(4401);
  });

  it('a token refresh on the live connection keeps it open; one naming another user is refused', async () => {
    const server = t.track(
      await startTestServer({
        // Asked at half the life (2 s), so the three answers below have 2 s before the expiry closes it.
        auth: () => ({ id: 'fay', expiresAt: Date.now() + 4_000 }),
        verifyToken: async (token) => (token === 'fresh' ? { id: 'fay' } : token === 'other' ? { id: 'gus' } : null),
      }),
    );
    const client = await t.connect(server.url);
    await client.next('refresh', () => true, 5_000);
    client.send({ type: 'auth', id: 1, token: 'other' });
    expect(await client.next('error', (e) => e.id === 1)).toMatchObject({ code: 'forbidden' });
    client.send({ type: 'auth', id: 2, token: 'bogus' });
    expect(await client.next('error', (e) => e.id === 2)).toMatchObject({ code: 'unauthorized' });
    client.send({ type: 'auth', id: 3, token: 'fresh' });
    await client.next('ack', (e) => e.id === 3);
    client.send({ type: 'ping' });
    await client.next('pong');
  });

  it('a message filter rejects before fan-out: nothing is delivered', async () => {
    const server = t.track(
      await startTestServer({
        filter: ({ data }) => ((data as { text: string }).text.includes('spam') ? { reject: 'no spam' } : true),
      }),
    );
    const reader = await t.connect(server.url);
    await reader.subscribe('chat');
    const writer = await t.connect(server.url);
    writer.send({ type: 'publish', id: 1, topic: 'chat', data: { text: 'buy spam' } });
    expect(await writer.next('error', (e) => e.id === 1)).toMatchObject({ code: 'rejected', message: 'no spam' });
    writer.send({ type: 'publish', id: 2, topic: 'chat', data: { text: '<script>alert(1)</script>' } });
    await writer.next('ack', (e) => e.id === 2);
    // Content is data, not HTML: it is delivered verbatim, never "sanitized" by a keyword list.
    expect(await reader.next('message')).toMatchObject({ data: { text: '<script>alert(1)</script>' } });
    expect(reader.messages('chat')).toHaveLength(1);
  });
});

describe('server-to-client feeds', () => {
  it('clientPublish: false refuses client publishes with forbidden, while the server publishes', async () => {
    const { analyticsTopics, defineTopics } = await import('@oxidite/protocol');
    const { createRealtimeServer } = await import('../src/index');
    const rt = createRealtimeServer({ topics: defineTopics({ ...analyticsTopics }) });
    const { port } = await rt.listen(0);
    t.track({ close: () => rt.close() } as never);
    const client = await t.connect(`ws://127.0.0.1:${port}/ws`);
    await client.subscribe('analytics:metrics');
    client.send({ type: 'publish', id: 1, topic: 'analytics:metrics', data: {} });
    expect(await client.next('error', (e) => e.id === 1)).toMatchObject({ code: 'forbidden' });
    expect(client.messages('analytics:metrics')).toHaveLength(0);
  });
});
