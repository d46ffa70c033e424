import { defineTopics, type notificationMethods, notificationTopics } from '@oxidite/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  createMemoryNotificationStore,
  createNotificationService,
  type NotificationRealtime,
  type RealtimeServer,
} from '../../src/index';

describe('notification service', () => {
  it('takes only a realtime server whose topic map has notificationTopics (a compile-time check)', () => {
    const withNotifications = defineTopics({ chat: z.object({ text: z.string() }), ...notificationTopics });
    const without = defineTopics({ chat: z.object({ text: z.string() }) });
    expectTypeOf<RealtimeServer<typeof withNotifications>>().toMatchTypeOf<NotificationRealtime>();
    expectTypeOf<
      RealtimeServer<typeof withNotifications, typeof notificationMethods>
    >().toMatchTypeOf<NotificationRealtime>();
    expectTypeOf<RealtimeServer<typeof without>>().not.toMatchTypeOf<NotificationRealtime>();
  });

  it('resolves a send once stored even if the live publish fails, and reports the failure', async () => {
    const errors: string[] = [];
    const store = createMemoryNotificationStore();
    const service = createNotificationService({
      store,
      realtime: {
        publish: () => Promise.reject(new Error('broker down')),
        rpc() {},
      },
      onError: (_error, where) => errors.push(where),
    });
    const sent = await service.send('alice', { title: 't', body: '', category: 'c' });
    expect((await store.list('alice')).items).toEqual([sent]);
    expect(errors).toEqual(['publish notifications:alice']);
  });

  it('rejects invalid user ids and input with RealtimeError("invalid")', async () => {
    const service = createNotificationService({
      store: createMemoryNotificationStore(),
      realtime: { publish: async () => {}, rpc() {} },
    });
    await expect(service.send('no:colons', { title: 't', body: '', category: 'c' })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(service.send('alice', { title: '', body: '', category: 'c' })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(service.markRead('alice', ['x'])).rejects.toMatchObject({ code: 'invalid' });
    await expect(service.list('alice', { limit: 500 })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('cuts a page at 512 KiB of JSON, continuing with next', async () => {
    const store = createMemoryNotificationStore();
    const service = createNotificationService({ store, realtime: { publish: async () => {}, rpc() {} } });
    const data = 'é'.repeat(16_000); // ~32 KB of UTF-8 each
    for (let i = 0; i < 40; i++) await service.send('alice', { title: `n${i}`, body: '', category: 'c', data });
    const first = await service.list('alice', { limit: 40 });
    expect(first.items.length).toBeLessThan(40);
    expect(Buffer.byteLength(JSON.stringify(first.items))).toBeLessThanOrEqual(512 * 1024 + 2 * first.items.length);
    let seen = first.items.length;
    for (let next = first.next; next !== undefined; ) {
      const page = await service.list('alice', { limit: 40, before: next });
      seen += page.items.length;
      next = page.next;
    }
    expect(seen).toBe(40);
  });
});
