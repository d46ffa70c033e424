import { describe, expect, it } from 'vitest';
import { createMemoryNotificationStore } from '../../src/index';
import { notificationStoreContract } from './store-contract';

notificationStoreContract('memory', () => createMemoryNotificationStore());

describe('memory notification store', () => {
  it("keeps at most maxPerUser per user, dropping that user's oldest", async () => {
    const store = createMemoryNotificationStore({ maxPerUser: 2 });
    const base = { userId: 'alice', title: 't', body: '', category: 'c', createdAt: 1, read: false };
    for (const id of [
      '00000000-0000-7000-8000-000000000001',
      '00000000-0000-7000-8000-000000000002',
      '00000000-0000-7000-8000-000000000003',
    ]) {
      await store.insert({ ...base, id });
    }
    await store.insert({ ...base, userId: 'bob', id: '00000000-0000-7000-8000-000000000004' });
    expect((await store.list('alice')).items.map((n) => n.id.slice(-1))).toEqual(['3', '2']);
    expect(await store.unreadCount('bob')).toBe(1);
    // The evicted id is free again, like a deleted row.
    await store.insert({ ...base, userId: 'carol', id: '00000000-0000-7000-8000-000000000001' });
  });

  it('hands out copies: mutating an input or a result never changes what is stored', async () => {
    const store = createMemoryNotificationStore();
    const data = { list: [1, 2] };
    await store.insert({
      id: '00000000-0000-7000-8000-000000000001',
      userId: 'a',
      title: 't',
      body: '',
      category: 'c',
      data,
      createdAt: 1,
      read: false,
    });
    data.list.push(3);
    const first = (await store.list('a')).items[0]?.data as { list: number[] };
    first.list.push(4);
    expect((await store.list('a')).items[0]?.data).toEqual({ list: [1, 2] });
  });
});
