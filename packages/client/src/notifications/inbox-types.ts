import type { Notification, RealtimeError, TopicDefinition, TopicMap } from '@oxidite/protocol';

/**
 * A topic map that declares the notification topic: spread `notificationTopics` from
 * `@oxidite/protocol` into the client's map. The inbox subscribes through `client.subscribe`, which
 * refuses topics its map does not declare (`unknown_topic`). The method map needs nothing: RPCs the
 * map does not declare go out unchecked, and the inbox checks the replies itself.
 */
export type NotificationTopicMap = TopicMap & { readonly 'notifications:{user}': TopicDefinition };

/**
 * Nothing when `T` is a {@link NotificationTopicMap}; otherwise a property no client has, so that
 * passing a client without the notification topic fails to compile with this name in the message
 * (a plain constraint would not: clients of different maps are assignable to each other).
 */
export type WithNotificationTopics<T extends TopicMap> = T extends NotificationTopicMap
  ? unknown
  : { readonly 'the client topic map must include notificationTopics': never };

/** Options of `createNotificationInbox`. */
export interface NotificationInboxOptions {
  /** The signed-in user whose inbox this is; the server only lets that user subscribe. */
  readonly userId: string;
  /** Notifications per `notifications.list` call (first page and each `loadMore`), 1–100. @default 20 */
  readonly pageSize?: number | undefined;
}

/** Events of a {@link NotificationInbox}. */
export type NotificationInboxEvents = {
  /** Items, unread count or `hasMore` changed (a live event, a page, or an optimistic change). */
  change: [inbox: NotificationInbox];
  /**
   * A failure that belongs to no call: an invalid live event, a reload after a lost gap (`reset`)
   * or after a failed change, a listener that threw.
   */
  error: [error: RealtimeError];
};

/**
 * One user's notifications, kept current on every device: the pages loaded so far merged by id
 * with the live events of `notifications:{user}`. Reads never go back to unread, and a deleted
 * notification never comes back.
 */
export interface NotificationInbox {
  /** The loaded notifications, newest first. */
  readonly items: readonly Notification[];
  /**
   * Unread notifications in the whole inbox, loaded or not. Exact while every notification is
   * loaded (`hasMore` false); otherwise the server's count at `start()` (and after a reload) kept
   * up to date from the live events.
   */
  readonly unreadCount: number;
  /** Whether older notifications remain to be loaded with `loadMore()`. */
  readonly hasMore: boolean;
  /**
   * Subscribes to the user's topic, waits until the subscription is live, then loads the first
   * page and the unread count, so nothing sent in between is missed. Calling it again returns the
   * same promise.
   * @throws RealtimeError if the subscription is refused (e.g. `forbidden`) or a request fails
   */
  start(): Promise<void>;
  /** Loads the next (older) page; does nothing when `hasMore` is false. Concurrent calls share one request. */
  loadMore(): Promise<void>;
  /**
   * Marks notifications read: at once locally, then on the server, whose `read` event updates the
   * user's other devices. If the request fails, the inbox reloads from the server and the promise rejects.
   */
  markRead(ids: readonly string[]): Promise<void>;
  /** Marks every notification read, like {@link NotificationInbox.markRead}. */
  markAllRead(): Promise<void>;
  /** Deletes notifications, like {@link NotificationInbox.markRead}. */
  remove(ids: readonly string[]): Promise<void>;
  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof NotificationInboxEvents>(
    event: E,
    listener: (...args: NotificationInboxEvents[E]) => void,
  ): () => void;
  /** Unsubscribes from the topic and removes every listener. The inbox cannot be started again. */
  stop(): void;
}
