import {
  createNotificationInbox,
  type NotificationInbox,
  type NotificationTopicMap,
  type RealtimeClient,
} from '@oxidite/client';
import { ErrorCode, type Notification, RealtimeError } from '@oxidite/protocol';
import { asRealtimeError } from './errors';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { Feed } from './feed';
import { type RealtimeStore, useStore } from './provider';
import type { Resource } from './shared-resources';

/** What `useNotifications` returns: the live inbox of one user, and its actions. */
export interface NotificationsView {
  /** The loaded notifications, newest first. */
  readonly items: readonly Notification[];
  /** Unread notifications in the whole inbox, loaded or not. */
  readonly unreadCount: number;
  /** Older notifications remain: see `loadMore`. */
  readonly hasMore: boolean;
  /** The first page and the count have loaded. */
  readonly isReady: boolean;
  /** The last failure: a refused subscription, a failed load, a bad user id. */
  readonly error: RealtimeError | undefined;
  /** Marks read at once here; the server's event updates the user's other tabs and devices. */
  markRead(ids: readonly string[]): Promise<void>;
  /** Marks every notification read, like `markRead`. */
  markAllRead(): Promise<void>;
  /** Deletes notifications, like `markRead`. */
  remove(ids: readonly string[]): Promise<void>;
  /** Loads the next, older page; nothing when `hasMore` is false. */
  loadMore(): Promise<void>;
}

type InboxSnapshot = Omit<NotificationsView, 'markRead' | 'markAllRead' | 'remove' | 'loadMore'>;
interface InboxEntry {
  readonly feed: Feed<InboxSnapshot>;
  readonly inbox: NotificationInbox | undefined;
}

const EMPTY: InboxSnapshot = { items: [], unreadCount: 0, hasMore: false, isReady: false, error: undefined };

function openInbox(store: RealtimeStore, userId: string): Resource<InboxEntry> {
  const feed = new Feed(EMPTY);
  const failed = (error: unknown) => feed.set({ ...feed.snapshot, error: asRealtimeError(error, 'the inbox') });
  let inbox: NotificationInbox | undefined;
  try {
    inbox = createNotificationInbox(store.client() as RealtimeClient<NotificationTopicMap>, { userId });
    inbox.on('change', ({ items, unreadCount, hasMore }) =>
      feed.set({ ...feed.snapshot, items, unreadCount, hasMore }),
    );
    inbox.on('error', failed);
    inbox.start().then(() => feed.set({ ...feed.snapshot, isReady: true }), failed);
  } catch (error) {
    failed(error);
  }
  return { value: { feed, inbox }, dispose: () => inbox?.stop() };
}

/**
 * The live notification inbox of `userId` (`createNotificationInbox`) while mounted, shared by every
 * component that shows it. The client's topic map must include `notificationTopics` (otherwise
 * `error` is `unknown_topic`). Changes made in another tab or device arrive through the server.
 *
 * @example
 * const { items, unreadCount, markRead } = useNotifications(me.id);
 */
export function useNotifications(userId: string): NotificationsView {
  const store = useStore();
  const key = `inbox:${userId}`;
  const subscribe = useCallback(
    (onChange: () => void) => {
      const [entry, release] = store.resources.acquire(key, () => openInbox(store, userId));
      const stop = entry.feed.listen(onChange);
      return () => {
        stop();
        release();
      };
    },
    [store, key, userId],
  );
  const snapshot = useSyncExternalStore(
    subscribe,
    () => store.resources.peek<InboxEntry>(key)?.feed.snapshot ?? EMPTY,
    () => EMPTY,
  );
  const actions = useMemo(() => {
    const act = (run: (inbox: NotificationInbox) => Promise<void>) => {
      const inbox = store.resources.peek<InboxEntry>(key)?.inbox;
      return inbox ? run(inbox) : Promise.reject(new RealtimeError(ErrorCode.INVALID, 'the inbox is not mounted'));
    };
    return {
      markRead: (ids: readonly string[]) => act((inbox) => inbox.markRead(ids)),
      markAllRead: () => act((inbox) => inbox.markAllRead()),
      remove: (ids: readonly string[]) => act((inbox) => inbox.remove(ids)),
      loadMore: () => act((inbox) => inbox.loadMore()),
    };
  }, [store, key]);
  return useMemo(() => ({ ...snapshot, ...actions }), [snapshot, actions]);
}
