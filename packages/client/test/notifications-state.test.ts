import type { Notification, NotificationPage } from '@oxidite/protocol';
import { describe, expect, it } from 'vitest';
import { InboxState } from '../src/notifications/inbox-state';

/**
 * The merge rules of the inbox, on the orders of arrival a real server produces only by chance: a
 * page and the events about the same notifications can arrive either way round.
 */

/** Notification `n`: ids sort like UUIDv7s, by creation. */
function note(n: number, read = false): Notification {
  const id = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return { id, userId: 'ada', title: `n${n}`, body: '', category: 'test', createdAt: 1_000 + n, read };
}

const page = (items: Notification[], next?: number): NotificationPage =>
  next === undefined ? { items } : { items, next: note(next).id };

/** A state loaded with `items` (newest first) and the server's unread count. */
function loaded(items: Notification[], count: number, next?: number): InboxState {
  const state = new InboxState();
  state.beginReload();
  state.replace(page(items, next), count);
  return state;
}

const titles = (state: InboxState): string[] => state.items.map((item) => item.title);

describe('inbox state', () => {
  it('counts a notification once when its created event and a page both carry it', () => {
    const state = new InboxState();
    state.beginReload();
    state.apply({ kind: 'created', notification: note(3) }, 2_000); // arrived while the page was loading
    state.replace(page([note(3), note(2)], 1), 2); // the server's count already includes it
    expect(titles(state)).toEqual(['n3', 'n2']);
    expect(state.unreadCount).toBe(2);
    state.apply({ kind: 'created', notification: note(3) }, 2_000); // replayed: no change
    expect(state.unreadCount).toBe(2);
  });

  it('keeps a notification read once seen read, whatever arrives later', () => {
    const state = new InboxState();
    state.beginReload();
    state.apply({ kind: 'read', ids: [note(2).id] }, 2_000);
    state.replace(page([note(2), note(1)]), 1); // the page was taken before the read
    expect(state.items.map((item) => item.read)).toEqual([true, false]);
    state.apply({ kind: 'created', notification: note(2) }, 2_000); // a late created event
    expect(state.items[0]?.read).toBe(true);
    expect(state.unreadCount).toBe(1);
  });

  it('never shows a deleted notification again', () => {
    const state = new InboxState();
    state.beginReload();
    state.apply({ kind: 'deleted', ids: [note(2).id] }, 2_000);
    state.replace(page([note(2), note(1)]), 1);
    state.apply({ kind: 'created', notification: note(2) }, 2_000);
    expect(titles(state)).toEqual(['n1']);
    expect(state.unreadCount).toBe(1);
  });

  it('reads what was created before a read_all, not what came after it', () => {
    const state = loaded([note(5)], 3, 5); // two older ones are not loaded yet
    state.apply({ kind: 'read_all' }, note(5).createdAt + 1);
    state.apply({ kind: 'created', notification: note(6) }, note(6).createdAt);
    expect(state.unreadCount).toBe(1);
    // The older page was taken before the read_all reached the store.
    state.append(page([note(4), note(3)]), state.generation);
    expect(state.items.map((item) => [item.title, item.read])).toEqual([
      ['n6', false],
      ['n5', true],
      ['n4', true],
      ['n3', true],
    ]);
    expect(state.unreadCount).toBe(1);
  });

  it('counts an optimistic read once when its event follows, and forgets it when the request failed', () => {
    const state = loaded([note(3), note(2), note(1)], 3);
    expect(state.markRead([note(3).id, note(2).id, note(9).id])).toEqual([note(3).id, note(2).id]);
    expect(state.unreadCount).toBe(1);
    state.apply({ kind: 'read', ids: [note(3).id] }, 2_000);
    expect(state.unreadCount).toBe(1);
    state.settleRead([note(2).id], false);
    // The reload after the failure shows the server's truth: n2 was not read there.
    state.beginReload();
    state.replace(page([note(3, true), note(2), note(1)]), 2);
    expect(state.items.map((item) => item.read)).toEqual([true, false, false]);
    expect(state.unreadCount).toBe(2);
  });

  it('counts an optimistic delete once when its event follows', () => {
    const state = loaded([note(2), note(1)], 2);
    expect(state.remove([note(2).id])).toEqual([note(2).id]);
    expect(state.unreadCount).toBe(1);
    state.apply({ kind: 'deleted', ids: [note(2).id] }, 2_000);
    state.settleRemove([note(2).id], true);
    expect(titles(state)).toEqual(['n1']);
    expect(state.unreadCount).toBe(1);
  });

  it('maintains the server count while pages remain, and asks for a recount when an unloaded notification is deleted', () => {
    const state = loaded([note(9), note(8)], 7, 8);
    state.apply({ kind: 'read', ids: [note(3).id] }, 2_000); // not loaded, but it changed: one less
    expect(state.unreadCount).toBe(6);
    state.apply({ kind: 'deleted', ids: [note(3).id] }, 2_000); // known read: no doubt
    expect(state.takeRecount()).toBe(false);
    state.apply({ kind: 'deleted', ids: [note(2).id] }, 2_000); // read or not? only the server knows
    expect(state.takeRecount()).toBe(true);
    expect(state.takeRecount()).toBe(false);
    state.setCount(5);
    expect(state.unreadCount).toBe(5);
  });

  it('drops an older page requested before a reload, which would leave a hole', () => {
    const state = loaded([note(4), note(3)], 4, 3);
    const generation = state.generation;
    state.beginReload();
    state.replace(page([note(6), note(5)], 5), 6);
    state.append(page([note(2), note(1)]), generation);
    expect(titles(state)).toEqual(['n6', 'n5']);
    expect(state.hasMore).toBe(true);
  });

  it('keeps notifications created during a reload, and drops what the reload no longer lists', () => {
    const state = loaded([note(2), note(1)], 2);
    state.beginReload();
    state.apply({ kind: 'created', notification: note(3) }, 2_000);
    state.replace(page([note(2)]), 2); // n1 was deleted while the events were lost
    expect(titles(state)).toEqual(['n3', 'n2']);
    expect(state.unreadCount).toBe(2); // every notification is loaded: counted from the items
  });
});
