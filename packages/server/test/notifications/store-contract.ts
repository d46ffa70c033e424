import type { Notification } from '@oxidite/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationStore } from '../../src/index';
import { createUuidV7Generator } from '../../src/notifications/uuid-v7';

/** Creates a fresh, empty store for one test. */
export type NotificationStoreFactory = () => NotificationStore | Promise<NotificationStore>;

/**
 * The contract every `NotificationStore` passes: ordering, cursor pages, unread filters, read and
 * delete counts (idempotent), isolation between users, and a faithful JSON round trip.
 */
export function notificationStoreContract(name: string, factory: NotificationStoreFactory): void {
  describe(`${name} notification store contract`, () => {
    const open: NotificationStore[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
    });

    /** A fresh store, and a maker of notifications whose ids and times increase by 1 ms each. */
    async function setup() {
      const store = await factory();
      open.push(store);
      let clock = 1_700_000_000_000;
      const nextId = createUuidV7Generator({ now: () => clock });
      const make = (userId: string, extra: Partial<Notification> = {}): Notification => {
        clock += 1;
        return {
          id: nextId(),
          userId,
          title: 'Title',
          body: 'Body',
          category: 'test',
          createdAt: clock,
          read: false,
          ...extra,
        };
      };
      const add = async (userId: string, count: number, extra: Partial<Notification> = {}) => {
        const added: Notification[] = [];
        for (let i = 0; i < count; i++) {
          const notification = make(userId, { title: `n${i}`, ...extra });
          await store.insert(notification);
          added.push(notification);
        }
        return added;
      };
      return { store, make, add };
    }

    const ids = (list: readonly Notification[]) => list.map((n) => n.id);

    it('lists newest first, with every field as inserted and `data` absent when absent', async () => {
      const { store, add } = await setup();
      const added = await add('alice', 5);
      const page = await store.list('alice');
      expect(page.items).toEqual([...added].reverse());
      expect(page.next).toBeUndefined();
      expect('data' in (page.items[0] as object)).toBe(false);
      expect(await store.list('nobody')).toEqual({ items: [] });
    });

    it('pages with a cursor: no gaps, no duplicates, `next` only while more remain', async () => {
      const { store, add } = await setup();
      const added = await add('alice', 25);
      const seen: Notification[] = [];
      const sizes: number[] = [];
      let before: string | undefined;
      do {
        const page = await store.list('alice', { limit: 10, before });
        seen.push(...page.items);
        sizes.push(page.items.length);
        if (page.next !== undefined) expect(page.next).toBe(page.items.at(-1)?.id);
        before = page.next;
      } while (before !== undefined);
      expect(sizes).toEqual([10, 10, 5]);
      expect(ids(seen)).toEqual(ids([...added].reverse()));

      const exact = await store.list('alice', { limit: 5, before: added[5]?.id });
      expect(ids(exact.items)).toEqual(ids(added.slice(0, 5).reverse()));
      expect(exact.next).toBeUndefined();
    });

    it('defaults to 20 per page and clamps the limit to 1–100', async () => {
      const { store, add } = await setup();
      await add('alice', 101);
      expect((await store.list('alice')).items).toHaveLength(20);
      expect((await store.list('alice', { limit: 0 })).items).toHaveLength(1);
      expect((await store.list('alice', { limit: 1_000 })).items).toHaveLength(100);
      await expect(store.list('alice', { before: 'not-an-id' })).rejects.toThrow(RangeError);
    });

    it('filters unread only, across pages too', async () => {
      const { store, add } = await setup();
      const added = await add('alice', 12);
      const read = added.filter((_, i) => i % 3 === 0);
      await store.markRead('alice', ids(read));
      const unread = added.filter((_, i) => i % 3 !== 0).reverse();
      const first = await store.list('alice', { unreadOnly: true, limit: 3 });
      const second = await store.list('alice', { unreadOnly: true, limit: 3, before: first.next });
      const third = await store.list('alice', { unreadOnly: true, limit: 3, before: second.next });
      expect([first, second, third].map((page) => page.items.length)).toEqual([3, 3, 2]);
      expect(ids([...first.items, ...second.items, ...third.items])).toEqual(ids(unread));
      expect(third.next).toBeUndefined();
      expect([...first.items, ...second.items, ...third.items].every((n) => !n.read)).toBe(true);
      expect((await store.list('alice')).items.filter((n) => n.read)).toHaveLength(read.length);
    });

    it('markRead returns exactly the ids that changed, and is idempotent', async () => {
      const { store, add } = await setup();
      const [a, b, c] = await add('alice', 3);
      expect(await store.markRead('alice', [a!.id])).toEqual([a!.id]);
      const changed = await store.markRead('alice', [
        a!.id, // already read
        b!.id,
        b!.id, // duplicate
        c!.id,
        '00000000-0000-7000-8000-000000000000', // no such notification
        'not-an-id',
        "x' OR 1=1 --",
      ]);
      expect([...changed].sort()).toEqual([b!.id, c!.id].sort());
      expect(await store.markRead('alice', [a!.id, b!.id, c!.id])).toEqual([]);
      expect(await store.markRead('alice', [])).toEqual([]);
      expect(await store.unreadCount('alice')).toBe(0);
      expect((await store.list('alice')).items.every((n) => n.read)).toBe(true);
    });

    it('markAllRead counts what changed, once', async () => {
      const { store, add } = await setup();
      const added = await add('alice', 4);
      await add('bob', 2);
      await store.markRead('alice', [added[0]!.id]);
      expect(await store.unreadCount('alice')).toBe(3);
      expect(await store.markAllRead('alice')).toBe(3);
      expect(await store.markAllRead('alice')).toBe(0);
      expect(await store.unreadCount('alice')).toBe(0);
      expect(await store.unreadCount('bob')).toBe(2);
    });

    it('delete returns the ids that existed, once', async () => {
      const { store, add } = await setup();
      const [a, b, c] = await add('alice', 3);
      const deleted = await store.delete('alice', [a!.id, c!.id, c!.id, 'nope']);
      expect([...deleted].sort()).toEqual([a!.id, c!.id].sort());
      expect(await store.delete('alice', [a!.id, c!.id])).toEqual([]);
      expect(ids((await store.list('alice')).items)).toEqual([b!.id]);
      expect(await store.unreadCount('alice')).toBe(1);
      expect(await store.markRead('alice', [a!.id])).toEqual([]);
    });

    it("isolates users: another user's ids behave as if they did not exist", async () => {
      const { store, add } = await setup();
      const alice = await add('alice', 3);
      await add('bob', 1);
      const aliceIds = ids(alice);
      expect((await store.list('bob')).items.map((n) => n.userId)).toEqual(['bob']);
      // Bob's notification is newer than Alice's, so a cursor at hers finds nothing of his, nor hers.
      expect((await store.list('bob', { before: aliceIds[2] })).items).toEqual([]);
      expect(await store.markRead('bob', aliceIds)).toEqual([]);
      expect(await store.delete('bob', aliceIds)).toEqual([]);
      expect(await store.markAllRead('bob')).toBe(1);
      expect(await store.unreadCount('alice')).toBe(3);
      expect(ids((await store.list('alice')).items)).toEqual([...aliceIds].reverse());
      // Ids are per user even when user ids look alike.
      expect(await store.unreadCount('Alice')).toBe(0);
      expect(await store.unreadCount('alice ')).toBe(0);
    });

    it('round-trips unicode text and JSON data faithfully', async () => {
      const { store, make } = await setup();
      const data = {
        'ключ 🔑': ['é', 'e\u0301', '👩‍👩‍👧', 'שלום', '漢字', '\u0000', '\\"\n\t', '\ud800 lone'],
        nested: { deep: [[[{ x: 1.5, y: -0, z: 1e21, big: Number.MAX_SAFE_INTEGER }]]] },
        nothing: null,
        yes: true,
      };
      const fancy = make('alice', {
        title: '🎉 Ünïcødé — 漢字 שלום',
        body: 'line 1\nline 2\t"quoted" \\ back\'slash 👩🏽‍💻',
        category: 'catégorie.😀',
        data,
      });
      await store.insert(fancy);
      const [stored] = (await store.list('alice')).items;
      expect(stored).toEqual(JSON.parse(JSON.stringify(fancy)));
      expect(stored?.title).toBe(fancy.title);
      expect(stored?.body).toBe(fancy.body);
    });

    it('round-trips large data and falsy data distinctly from absent data', async () => {
      const { store, make } = await setup();
      const large = {
        rows: Array.from({ length: 2_000 }, (_, i) => ({ i, label: `row ${i} ✓`, tags: ['a', 'b'] })),
      };
      const values: unknown[] = [large, null, false, 0, '', [], {}];
      const inserted: Notification[] = [];
      for (const data of values) {
        const notification = make('alice', { data });
        await store.insert(notification);
        inserted.push(notification);
      }
      expect(JSON.stringify(large).length).toBeGreaterThan(60_000);
      const { items } = await store.list('alice', { limit: 100 });
      expect(items.map((n) => n.data)).toEqual([...values].reverse());
      expect(items.every((n) => 'data' in n)).toBe(true);
    });

    it('keeps createdAt and read exactly, and refuses a duplicate id', async () => {
      const { store, make } = await setup();
      const notification = make('alice', { createdAt: 8_640_000_000_000, read: true });
      await store.insert(notification);
      expect((await store.list('alice')).items).toEqual([notification]);
      await expect(store.insert({ ...notification, title: 'again' })).rejects.toThrow();
      await expect(store.insert({ ...notification, userId: 'bob' })).rejects.toThrow();
      expect(await store.unreadCount('alice')).toBe(0);
    });

    it('closes twice without error', async () => {
      const { store } = await setup();
      await store.close();
      await store.close();
    });
  });
}
