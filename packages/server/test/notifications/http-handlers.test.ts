import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Notification, NotificationEvent } from '@oxidite/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryNotificationStore,
  createNotificationService,
  type NotificationRealtime,
  type NotificationServiceOptions,
} from '../../src/index';
import { send } from './http-client';

const JSON_TYPE = { 'content-type': 'application/json' };
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** The handlers mounted on a plain `node:http` server, with a recording realtime. */
async function start(options: Partial<NotificationServiceOptions> = {}) {
  const published: { topic: string; data: NotificationEvent }[] = [];
  const realtime: NotificationRealtime = {
    async publish(topic, data) {
      published.push({ topic, data });
    },
    rpc() {},
  };
  const errors: { error: unknown; where: string }[] = [];
  const service = createNotificationService({
    store: createMemoryNotificationStore(),
    realtime,
    authenticate: (req) => (typeof req.headers['x-user'] === 'string' ? { id: req.headers['x-user'] } : null),
    onError: (error, where) => errors.push({ error, where }),
    ...options,
  });
  const routes: Record<string, (typeof service.handlers)[keyof typeof service.handlers]> = {
    '/n': service.handlers.list,
    '/n/unread-count': service.handlers.unreadCount,
    '/n/mark-read': service.handlers.markRead,
    '/n/mark-all-read': service.handlers.markAllRead,
    '/n/delete': service.handlers.delete,
  };
  const server = createServer((req, res) => routes[(req.url ?? '/').split('?')[0] as string]?.(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { service, published, errors, base };
}

const as = (user: string, headers: Record<string, string> = {}) => ({ 'x-user': user, ...headers });

describe('notification HTTP handlers', () => {
  it('serve list, unread count, mark read, mark all read and delete for the authenticated user', async () => {
    const { service, published, base } = await start();
    const sent: Notification[] = [];
    for (const title of ['a', 'b', 'c']) sent.push(await service.send('alice', { title, body: '', category: 'c' }));
    const [a, b, c] = sent as [Notification, Notification, Notification];

    const all = await send(`${base}/n`, { headers: as('alice') });
    expect(all).toMatchObject({ status: 200, json: { items: [c, b, a] } });
    expect(all.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    const first = await send(`${base}/n?unreadOnly=true&limit=2`, { headers: as('alice') });
    expect(first.json).toEqual({ items: [c, b], next: b.id });
    expect((await send(`${base}/n?limit=2&before=${b.id}`, { headers: as('alice') })).json).toEqual({ items: [a] });
    expect((await send(`${base}/n/unread-count`, { headers: as('alice') })).json).toEqual({ count: 3 });
    expect(await send(`${base}/n`, { method: 'HEAD', headers: as('alice') })).toMatchObject({ status: 200, body: '' });

    const post = (path: string, body?: unknown) =>
      send(`${base}${path}`, {
        method: 'POST',
        headers: as('alice', JSON_TYPE),
        body: body === undefined ? '' : JSON.stringify(body),
      });
    expect((await post('/n/mark-read', { ids: [a.id] })).json).toEqual({ updated: 1 });
    expect((await post('/n/mark-all-read')).json).toEqual({ updated: 2 });
    expect((await post('/n/delete', { ids: [c.id, c.id] })).json).toEqual({ deleted: 1 });
    expect(published.map((p) => [p.topic, p.data.kind])).toEqual([
      ['notifications:alice', 'created'],
      ['notifications:alice', 'created'],
      ['notifications:alice', 'created'],
      ['notifications:alice', 'read'],
      ['notifications:alice', 'read_all'],
      ['notifications:alice', 'deleted'],
    ]);
    expect(published[3]?.data).toEqual({ kind: 'read', ids: [a.id] });
  });

  it("touch only the authenticated user's notifications", async () => {
    const { service, base } = await start();
    const secret = await service.send('alice', { title: 'secret', body: '', category: 'c' });
    const bob = (path: string, ids: string[]) =>
      send(`${base}${path}`, { method: 'POST', headers: as('bob', JSON_TYPE), body: JSON.stringify({ ids }) });
    expect((await bob('/n/mark-read', [secret.id])).json).toEqual({ updated: 0 });
    expect((await bob('/n/delete', [secret.id])).json).toEqual({ deleted: 0 });
    expect((await send(`${base}/n`, { headers: as('bob') })).json).toEqual({ items: [] });
    expect(await service.unreadCount('alice')).toBe(1);
  });

  it('answer 401 without a principal, on every handler, before reading any body', async () => {
    const { base } = await start();
    for (const [method, path] of [
      ['GET', '/n'],
      ['GET', '/n/unread-count'],
      ['POST', '/n/mark-read'],
      ['POST', '/n/mark-all-read'],
      ['POST', '/n/delete'],
    ]) {
      const answer = await send(`${base}${path}`, {
        method,
        headers: JSON_TYPE,
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(answer, `${method} ${path}`).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } });
    }
    const huge = await send(`${base}/n/mark-read`, {
      method: 'POST',
      headers: { ...JSON_TYPE, 'content-length': String(1024 * 1024) },
      body: [Buffer.alloc(1024 * 1024, 0x20)],
    });
    expect(huge.status).toBe(401);
    // Without an `authenticate` option, everything is refused.
    const closed = await start({ authenticate: undefined });
    expect((await send(`${closed.base}/n`, { headers: as('alice') })).status).toBe(401);
  });

  it('answer 400 to bad queries and bodies, 405 to wrong methods, 415 to non-JSON posts', async () => {
    const { base } = await start();
    for (const query of ['limit=abc', 'limit=0', 'limit=101', 'before=xyz', 'unreadOnly=maybe']) {
      const answer = await send(`${base}/n?${query}`, { headers: as('alice') });
      expect(answer, query).toMatchObject({ status: 400, json: { error: { code: 'invalid' } } });
    }
    const tooMany = JSON.stringify({ ids: Array.from({ length: 101 }, () => '0192f0c4-6f5e-7a3b-9c1d-2e3f4a5b6c7d') });
    for (const body of ['{"ids": [', '', '[]', '{"ids": "all"}', '{"ids": [42]}', '{"ids": ["nope"]}', tooMany]) {
      const answer = await send(`${base}/n/mark-read`, { method: 'POST', headers: as('alice', JSON_TYPE), body });
      expect(answer, body.slice(0, 40)).toMatchObject({ status: 400, json: { error: { code: 'invalid' } } });
    }
    const wrongGet = await send(`${base}/n/mark-read`, { headers: as('alice') });
    expect(wrongGet).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    const wrongPost = await send(`${base}/n`, { method: 'POST', headers: as('alice', JSON_TYPE), body: '{}' });
    expect(wrongPost).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    for (const headers of [as('alice'), as('alice', { 'content-type': 'text/plain' })]) {
      const answer = await send(`${base}/n/mark-all-read`, { method: 'POST', headers, body: '{}' });
      expect(answer).toMatchObject({ status: 415, json: { error: { code: 'unsupported_media_type' } } });
    }
  });

  it('answer 413 to a body over 16 KB, declared or streamed, and keep serving', async () => {
    const { base } = await start();
    const big = Buffer.alloc(1024 * 1024, 0x20);
    const declared = await send(`${base}/n/mark-read`, {
      method: 'POST',
      headers: as('alice', { ...JSON_TYPE, 'content-length': String(big.length) }),
      body: [big],
    });
    expect(declared).toMatchObject({ status: 413, json: { error: { code: 'too_large' } } });
    expect(declared.headers.connection).toBe('close');
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(1024, 0x20));
    const streamed = await send(`${base}/n/mark-read`, {
      method: 'POST',
      headers: as('alice', JSON_TYPE),
      body: chunks,
    });
    expect(streamed).toMatchObject({ status: 413, json: { error: { code: 'too_large' } } });
    const justUnder = JSON.stringify({ ids: [] }).padEnd(16_384, ' ');
    const ok = await send(`${base}/n/mark-read`, { method: 'POST', headers: as('alice', JSON_TYPE), body: justUnder });
    expect(ok).toMatchObject({ status: 200, json: { updated: 0 } });
  });

  it('answer 500 without details when something fails, and report it', async () => {
    const { base, errors } = await start({
      authenticate: () => {
        throw new Error('session store password hunter2');
      },
    });
    const answer = await send(`${base}/n`, { headers: as('alice') });
    expect(answer).toMatchObject({ status: 500, json: { error: { code: 'internal' } } });
    expect(answer.body).not.toContain('hunter2');
    expect(errors.map((e) => e.where)).toEqual(['notifications http list']);
  });
});
