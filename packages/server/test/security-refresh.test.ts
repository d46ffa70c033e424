import { describe, expect, it } from 'vitest';
import { useTestResources } from './support/clients';
import { RawClient } from './support/raw-client';
import { startTestServer } from './support/test-server';

const t = useTestResources();
const DAY = 86_400_000;

/** Whether `refresh` arrived before the pong of a ping sent now (a round trip, not a timer). */
async function refreshedBeforePong(client: Awaited<ReturnType<typeof t.connect>>): Promise<boolean> {
  const before = client.received.length;
  client.send({ type: 'ping' });
  await client.next('pong');
  return client.received.slice(before).some((e) => e.type === 'refresh');
}

describe('a token already past its expiry', () => {
  // Admitted and closed at once with 4401, the client fetched a "fresh" token (often the same one,
  // inside the verifier's clock tolerance), reached open again and looped. Refused at admission,
  // its second 4401 in a row stops it, as documented.
  it('is refused at admission: 4401 without a welcome on WebSocket, HTTP 401 on SSE', async () => {
    const server = t.track(await startTestServer({ auth: () => ({ id: 'ann', expiresAt: Date.now() - 1_000 }) }));
    const client = t.adopt(new RawClient(server.url));
    const closed = await client.closed;
    expect([closed.code, closed.reason]).toEqual([4401, 'token expired']);
    expect(client.received.map((e) => e.type)).toEqual([]);
    const sse = await fetch(`http://127.0.0.1:${server.port}/events?topic=chat`);
    expect([sse.status, (await sse.text()).trim()]).toEqual([401, 'token expired']);
    expect(server.rt.stats().connectionsTotal).toBe(0);
  });
});

describe('token refresh timing on the real server (#14.3)', () => {
  it.each([
    ['40 days (setTimeout overflow)', 40 * DAY],
    ['55 s (shorter than the minute of lead)', 55_000],
    ['65 s', 65_000],
  ])('a %s token gets no refresh at connect, and the connection stays open', async (_label, lifetime) => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const server = t.track(await startTestServer({ auth: () => ({ id: 'ann', expiresAt: Date.now() + lifetime }) }));
      const client = await t.connect(server.url);
      expect(await refreshedBeforePong(client)).toBe(false);
      expect(await refreshedBeforePong(client)).toBe(false);
      expect(client.ws.readyState).toBe(1);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('a short-lived token: refresh, fresh token, ack — and no new refresh right after the ack', async () => {
    const life = 6_000;
    const server = t.track(
      await startTestServer({
        auth: () => ({ id: 'ann', expiresAt: Date.now() + life }),
        verifyToken: async (token) => (token === 'fresh' ? { id: 'ann', expiresAt: Date.now() + life } : null),
      }),
    );
    const client = await t.connect(server.url);
    for (let round = 1; round <= 2; round++) {
      const refresh = await client.next('refresh', () => true, 10_000);
      expect(refresh.deadline).toBeGreaterThan(0);
      client.send({ type: 'auth', id: round, token: 'fresh' });
      await client.next('ack', (e) => e.id === round);
      expect(await refreshedBeforePong(client)).toBe(false);
    }
    expect(client.received.filter((e) => e.type === 'refresh')).toHaveLength(2);
    expect(client.ws.readyState).toBe(1);
  });

  it('a token that expires no later is accepted without a new refresh schedule: one refresh, then 4401 at expiry (outside run 3)', async () => {
    const expiresAt = Date.now() + 3_000;
    let serial = 0;
    const server = t.track(
      await startTestServer({
        auth: () => ({ id: 'ann', expiresAt }),
        // Opaque tokens: each answer is another string, but the session behind it ends at the same time.
        verifyToken: async () => ({ id: 'ann', expiresAt }),
      }),
    );
    const client = await t.connect(server.url);
    const refresh = await client.next('refresh', () => true, 10_000);
    expect(refresh.deadline).toBeGreaterThan(0);
    client.send({ type: 'auth', id: 1, token: `same-expiry-${++serial}` });
    await client.next('ack', (e) => e.id === 1);
    // Rescheduled for a token no fresher, the server asked again at half the time left, again and
    // again, until the expiry: a burst of refreshes for every answer.
    const closed = await client.closed;
    expect([closed.code, closed.reason]).toEqual([4401, 'token expired']);
    expect(client.received.filter((e) => e.type === 'refresh')).toHaveLength(1);
  });

  it('the answer to a refresh is never rate limited into a 4401, even with the frame budget spent', async () => {
    const server = t.track(
      await startTestServer({
        auth: () => ({ id: 'ann', expiresAt: Date.now() + 2_000 }),
        verifyToken: async () => ({ id: 'ann', expiresAt: Date.now() + 3_600_000 }),
        security: {
          rateLimits: { messagesPerConnection: { capacity: 3, refillPerSecond: 0.001 } },
          abuseThreshold: 50,
        },
      }),
    );
    const client = await t.connect(server.url);
    for (let i = 0; i < 3; i++) client.send({ type: 'ping' });
    client.send({ type: 'ping' }); // over budget
    await client.next('error', (e) => e.code === 'rate_limited');
    await client.next('refresh', () => true, 10_000);
    client.send({ type: 'auth', id: 7, token: 'fresh' });
    expect(await client.next('ack', (e) => e.id === 7)).toMatchObject({ type: 'ack' });
    // Only the awaited answer passes: the rate limit still holds for everything else.
    client.send({ type: 'ping' });
    await client.next('error', (e) => e.code === 'rate_limited');
    expect(client.ws.readyState).toBe(1);
  });

  it('a refresh with an already expired token is refused as unauthorized', async () => {
    const server = t.track(
      await startTestServer({
        auth: () => ({ id: 'ann', expiresAt: Date.now() + 3_600_000 }),
        verifyToken: async () => ({ id: 'ann', expiresAt: Date.now() - 1 }),
      }),
    );
    const client = await t.connect(server.url);
    client.send({ type: 'auth', id: 1, token: 'stale' });
    expect(await client.next('error', (e) => e.id === 1)).toMatchObject({ code: 'unauthorized' });
  });
});
