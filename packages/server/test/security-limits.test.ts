import { defineTopics, RealtimeError } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type ConnectionCounter,
  createMemoryConnectionCounter,
  createRealtimeServer,
  RealtimeConfig,
} from '../src/index';
import { useTestResources } from './support/clients';
import { RawClient } from './support/raw-client';
import { startTestServer } from './support/test-server';

const t = useTestResources();

/** A principal per `x-user` header. */
const headerAuth = ({ req }: { req: { headers: Record<string, string | string[] | undefined> } }) => {
  const user = req.headers['x-user'];
  return typeof user === 'string' ? { id: user } : null;
};

/** The HTTP status of an upgrade attempt: 101 when it opened. */
async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const client = t.adopt(new RawClient(url, { headers }));
  const error = await client.opened.then(
    () => undefined,
    (e: Error) => e,
  );
  return Number(/HTTP (\d+)/.exec(error?.message ?? '')?.[1] ?? 101);
}

describe('one address or one user cannot take the whole server (#14.5)', () => {
  it('development preset: a user opening sockets in a loop is capped at 20; others still get in (WebSocket and SSE)', async () => {
    const server = t.track(
      await startTestServer({
        ...RealtimeConfig.development(),
        auth: headerAuth,
        security: { rateLimits: { connectionsPerAddress: false } },
      }),
    );
    let opened = 0;
    while (opened < 100 && (await upgradeStatus(server.url, { 'x-user': 'greedy' })) === 101) opened++;
    expect(opened).toBe(20);
    expect(await upgradeStatus(server.url, { 'x-user': 'bob' })).toBe(101);
    const sse = await fetch(`http://127.0.0.1:${server.port}/events?topic=chat`, { headers: { 'x-user': 'carol' } });
    expect(sse.status).toBe(200);
    await sse.body?.cancel();
  });

  it('production defaults: the 101st connection from one address is refused with 429', async () => {
    const server = t.track(await startTestServer({ security: { rateLimits: { connectionsPerAddress: false } } }));
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push(await upgradeStatus(server.url));
    expect(statuses.filter((s) => s === 101)).toHaveLength(100);
    expect(statuses.at(-1)).toBe(429);
  });

  it('counts through the configured connection counter: connections it reports from other nodes hold the caps', async () => {
    const local = createMemoryConnectionCounter();
    // Another node already holds 2 connections of every address and 1 of user ada.
    const shared: ConnectionCounter = {
      add: local.add,
      remove: local.remove,
      byAddress: async (address) => local.byAddress(address) + 2,
      byUser: async (user) => local.byUser(user) + (user === 'ada' ? 1 : 0),
    };
    const server = t.track(
      await startTestServer({
        auth: headerAuth,
        security: {
          rateLimits: { connectionsPerAddress: false },
          connectionCounter: shared,
          maxConnectionsPerAddress: 4,
          maxConnectionsPerUser: 2,
        },
      }),
    );
    expect(await upgradeStatus(server.url, { 'x-user': 'ada' })).toBe(101);
    expect(await upgradeStatus(server.url, { 'x-user': 'ada' })).toBe(429); // 1 elsewhere + 1 here
    expect(await upgradeStatus(server.url, { 'x-user': 'bob' })).toBe(101);
    expect(await upgradeStatus(server.url, { 'x-user': 'carol' })).toBe(429); // 2 elsewhere + 2 here
  });

  it('warns at start when a cap is at or above maxConnections', async () => {
    const warnings: { message: string; code?: string }[] = [];
    const onWarning = (warning: Error & { code?: string }) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const rt = createRealtimeServer({ topics: defineTopics({ chat: z.object({}) }), maxConnections: 50 });
      await rt.close();
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.code)).toEqual(['OXIDITE_CONNECTION_CAPS']);
    expect(warnings[0]?.message).toContain('maxConnectionsPerAddress (100) is at or above maxConnections (50)');
  });
});

describe('close reasons (#14.6)', () => {
  it('a long non-ASCII refusal reason is trimmed to 123 bytes on a character boundary; the server lives on', async () => {
    const server = t.track(
      await startTestServer({
        auth: ({ req }) => {
          if (req.headers['x-user'] === 'ok') return { id: 'ok' };
          throw new RealtimeError('forbidden', `compte suspendu : ${'é'.repeat(70)}`);
        },
      }),
    );
    const refused = t.adopt(new RawClient(server.url));
    const { code, reason } = await refused.closed;
    expect(code).toBe(4403);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
    expect(reason).toBe(`compte suspendu : ${'é'.repeat(52)}`);
    const other = await t.connect(server.url, { headers: { 'x-user': 'ok' } });
    other.send({ type: 'ping' });
    await other.next('pong');
    expect(server.rt.stats().closes[4403]).toBe(1);
  });
});

describe('proxy headers (#14.8)', () => {
  it('only the configured header is read: a proxy that writes Forwarded cannot be bypassed with X-Forwarded-For', async () => {
    const server = t.track(
      await startTestServer({ security: { trustProxy: ['127.0.0.1'], proxyHeader: 'forwarded' } }),
    );
    const seen: string[] = [];
    server.rt.on('connection', (c) => seen.push(c.remoteAddress));
    await t.connect(server.url, { headers: { forwarded: 'for=203.0.113.7', 'x-forwarded-for': '6.6.6.6' } });
    expect(seen).toEqual(['203.0.113.7']);
  });
});
