import type { Notification } from '@oxidite/protocol';
import type { NotificationStore } from './notification-store';
import { resolveListOptions, selectIds, serializeData, toPage } from './store-support';

/** Options of {@link createMemoryNotificationStore}. */
export interface MemoryNotificationStoreOptions {
  /** Notifications kept per user; inserting beyond it drops that user's oldest. @default 1_000 */
  readonly maxPerUser?: number | undefined;
}

/** A stored notification: `data` kept as JSON text, so callers can never mutate what is stored. */
type Entry = Omit<Notification, 'data'> & { readonly json: string | null };

function toNotification({ json, ...rest }: Entry): Notification {
  return json === null ? rest : { ...rest, data: JSON.parse(json) as unknown };
}

/** Index of the first entry whose id is not below `id` (entries are sorted by id, ascending). */
function lowerBound(entries: readonly Entry[], id: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((entries[mid] as Entry).id < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A notification store in process memory, for tests and development: nothing survives a restart,
 * and each user keeps at most `maxPerUser` notifications. Use the SQLite or PostgreSQL store in
 * production.
 */
export function createMemoryNotificationStore(options: MemoryNotificationStoreOptions = {}): NotificationStore {
  const maxPerUser = options.maxPerUser ?? 1_000;
  /** Per user, sorted by id ascending. */
  const byUser = new Map<string, Entry[]>();
  /** Every stored id, to refuse duplicates like a primary key would. */
  const known = new Set<string>();

  const entriesOf = (userId: string): Entry[] => byUser.get(userId) ?? [];

  function update(
    userId: string,
    ids: readonly string[],
    change: (entries: Entry[], index: number) => boolean,
  ): string[] {
    const entries = entriesOf(userId);
    const changed: string[] = [];
    for (const id of selectIds(ids)) {
      const index = lowerBound(entries, id);
      if (entries[index]?.id === id && change(entries, index)) changed.push(id);
    }
    return changed;
  }

  return {
    async insert(notification) {
      if (known.has(notification.id)) throw new Error(`duplicate notification id: ${notification.id}`);
      const { data, ...rest } = notification;
      const entries = byUser.get(notification.userId) ?? [];
      byUser.set(notification.userId, entries);
      entries.splice(lowerBound(entries, notification.id), 0, { ...rest, json: serializeData(data) });
      known.add(notification.id);
      while (entries.length > maxPerUser) known.delete((entries.shift() as Entry).id);
    },
    async list(userId, listOptions) {
      const { unreadOnly, limit, before } = resolveListOptions(listOptions);
      const entries = entriesOf(userId);
      const rows: Notification[] = [];
      let index = before === undefined ? entries.length : lowerBound(entries, before);
      while (--index >= 0 && rows.length <= limit) {
        const entry = entries[index] as Entry;
        if (!unreadOnly || !entry.read) rows.push(toNotification(entry));
      }
      return toPage(rows, limit);
    },
    async markRead(userId, ids) {
      return update(userId, ids, (entries, index) => {
        const entry = entries[index] as Entry;
        if (entry.read) return false;
        entries[index] = { ...entry, read: true };
        return true;
      });
    },
    async markAllRead(userId) {
      const entries = entriesOf(userId);
      let changed = 0;
      entries.forEach((entry, index) => {
        if (entry.read) return;
        entries[index] = { ...entry, read: true };
        changed++;
      });
      return changed;
    },
    async unreadCount(userId) {
      return entriesOf(userId).filter((entry) => !entry.read).length;
    },
    async delete(userId, ids) {
      const deleted = update(userId, ids, (entries, index) => {
        known.delete((entries[index] as Entry).id);
        entries.splice(index, 1);
        return true;
      });
      if (byUser.get(userId)?.length === 0) byUser.delete(userId);
      return deleted;
    },
    async close() {
      byUser.clear();
      known.clear();
    },
  };
}
