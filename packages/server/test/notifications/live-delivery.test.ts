import { type Notification, type NotificationEvent, notificationTopic } from '@oxidite/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryNotificationStore } from '../../src/index';
import type { RawClient } from '../support/raw-client';
import { SseReader } from '../support/sse-reader';
import { type NotificationTestServer, startNotificationServer } from './notification-server';

const ALICE = notificationTopic('alice');
const input = (title: string) => ({ title, body: `${title} body`, category: 'test' });

const servers: NotificationTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(options: Parameters<typeof startNotificationServer>[1] = {}) {
  const server = await startNotificationServer(createMemoryNotificationStore(), options);
  servers.push(server);
  return server;
}

/** The next notification event of `kind` on `topic`. */
async function nextEvent<K extends NotificationEvent['kind']>(client: RawClient, kind: K, topic = ALICE) {
  const message = await client.next('message', (e) => e.topic === topic && (e.data as NotificationEvent).kind === kind);
  return message.data as Extract<NotificationEvent, { kind: K }>;
}

describe('notifications: live multi-device delivery', () => {
  it('delivers send, markRead, markAllRead and delete to every device of the user', async () => {
    const server = await start();
    const [phone, laptop] = [await server.connect('alice'), await server.connect('alice')];
    expect(await phone.subscribe(ALICE)).toMatchObject({ type: 'subscribed' });
    expect(await laptop.subscribe(ALICE)).toMatchObject({ type: 'subscribed' });

    const sent = await server.service.send('alice', { ...input('Hello'), data: { url: '/t/1' } });
    for (const device of [phone, laptop]) {
      expect(await nextEvent(device, 'created')).toEqual({ kind: 'created', notification: sent });
    }
    const second = await server.service.send('alice', input('Second'));
    await Promise.all([nextEvent(phone, 'created'), nextEvent(laptop, 'created')]);

    expect(await server.call(phone, 'notifications.markRead', { ids: [sent.id] })).toEqual({ updated: 1 });
    for (const device of [phone, laptop])
      expect(await nextEvent(device, 'read')).toEqual({ kind: 'read', ids: [sent.id] });
    // Already read: nothing changes, nothing is published.
    expect(await server.call(laptop, 'notifications.markRead', { ids: [sent.id] })).toEqual({ updated: 0 });
    expect(await server.call(laptop, 'notifications.unreadCount')).toEqual({ count: 1 });

    expect(await server.call(laptop, 'notifications.markAllRead')).toEqual({ updated: 1 });
    for (const device of [phone, laptop]) expect(await nextEvent(device, 'read_all')).toEqual({ kind: 'read_all' });

    expect(await server.call(phone, 'notifications.delete', { ids: [second.id] })).toEqual({ deleted: 1 });
    for (const device of [phone, laptop]) {
      expect(await nextEvent(device, 'deleted')).toEqual({ kind: 'deleted', ids: [second.id] });
    }
    const kinds = phone.messages(ALICE).map((m) => (m.data as NotificationEvent).kind);
    expect(kinds).toEqual(['created', 'created', 'read', 'read_all', 'deleted']);
  });

  it("keeps other users out: no subscribing to, reading or changing someone else's inbox", async () => {
    const server = await start();
    const alice = await server.connect('alice');
    await alice.subscribe(ALICE);
    const bob = await server.connect('bob');
    expect(await bob.subscribe(ALICE)).toMatchObject({ type: 'error', code: 'forbidden' });
    bob.send({ type: 'publish', id: bob.id(), topic: notificationTopic('bob'), data: { kind: 'read_all' } });
    expect(await bob.next('error')).toMatchObject({ code: 'forbidden' });

    const secret = await server.service.send('alice', input('Secret'));
    await nextEvent(alice, 'created');
    expect(await server.call(bob, 'notifications.markRead', { ids: [secret.id] })).toEqual({ updated: 0 });
    expect(await server.call(bob, 'notifications.delete', { ids: [secret.id] })).toEqual({ deleted: 0 });
    expect(await server.call(bob, 'notifications.markAllRead')).toEqual({ updated: 0 });
    expect(await server.call(bob, 'notifications.list', { before: 'ffffffff-ffff-7fff-bfff-ffffffffffff' })).toEqual({
      items: [],
    });
    expect(await server.call(alice, 'notifications.list')).toEqual({ items: [secret] });
    // Alice's devices saw nothing but her own `created`.
    expect(alice.messages(ALICE)).toHaveLength(1);
    expect(bob.messages(ALICE)).toEqual([]);
  });

  it('refuses anonymous callers and validates requests', async () => {
    const server = await start({ anonymous: true });
    const anonymous = await server.connect();
    await expect(server.call(anonymous, 'notifications.unreadCount')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(await anonymous.subscribe(ALICE)).toMatchObject({ type: 'error', code: 'forbidden' });

    const other = await start();
    const signedIn = await other.connect('alice');
    for (const [method, data] of [
      ['notifications.list', { limit: 0 }],
      ['notifications.list', { before: 'DROP TABLE' }],
      ['notifications.markRead', { ids: 'all' }],
      ['notifications.markRead', { ids: Array.from({ length: 101 }, () => '0192f0c4-6f5e-7a3b-9c1d-2e3f4a5b6c7d') }],
      ['notifications.delete', {}],
    ] as const) {
      await expect(other.call(signedIn, method, data)).rejects.toMatchObject({ code: 'invalid' });
    }
  });

  it('starts loss-free: subscribe first, then list unread, and merge by id', async () => {
    const server = await start();
    const before = [
      await server.service.send('alice', input('old 1')),
      await server.service.send('alice', input('old 2')),
    ];
    await server.service.markRead('alice', [before[0]!.id]);
    const device = await server.connect('alice');
    await device.subscribe(ALICE);
    const during = await server.service.send('alice', input('between subscribe and list'));
    const page = (await server.call(device, 'notifications.list', { unreadOnly: true })) as { items: Notification[] };
    const live = await nextEvent(device, 'created');
    const merged = new Map([...page.items, live.notification].map((n) => [n.id, n]));
    expect([...merged.keys()].sort()).toEqual([before[1]!.id, during.id].sort());
  });

  it('recovers missed events from history after a reconnect', async () => {
    const server = await start();
    const first = await server.connect('alice');
    const subscribed = await first.subscribe(ALICE);
    if (subscribed.type !== 'subscribed') throw new Error('not subscribed');
    await first.close();
    const missed = await server.service.send('alice', input('while offline'));
    const again = await server.connect('alice');
    expect(await again.subscribe(ALICE, { since: subscribed.offset })).toMatchObject({ recovered: true });
    expect((await nextEvent(again, 'created')).notification.id).toBe(missed.id);
  });

  it('streams the same events over SSE', async () => {
    const server = await start();
    const reader = new SseReader(`${server.httpUrl}/events?topic=${ALICE}`, { 'x-user': 'alice' });
    try {
      expect((await reader.response).statusCode).toBe(200);
      await reader.until(() => reader.events.some((e) => e.type === 'subscribed'), 5_000, 'subscribed over SSE');
      const sent = await server.service.send('alice', input('Over SSE'));
      await reader.until(() => reader.messages().some((m) => m.topic === ALICE), 5_000, 'created over SSE');
      expect(reader.messages().find((m) => m.topic === ALICE)?.data).toEqual({ kind: 'created', notification: sent });
    } finally {
      reader.close();
    }
  });
});
