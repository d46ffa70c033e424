import type { Notification, NotificationListOptions, NotificationPage } from '@oxidite/protocol';

/**
 * Where notifications are kept: `createMemoryNotificationStore()` for tests and development,
 * `createSqliteNotificationStore()` (`@oxidite/server/sqlite`) for one process,
 * `createPostgresNotificationStore()` (`@oxidite/server/postgres`) for many.
 *
 * Contract (checked by the shared store contract suite, which every implementation passes):
 * - every method is scoped to `userId` and only ever reads or changes that user's rows: an id
 *   of another user's notification behaves exactly like an id that does not exist;
 * - ids that are not notification ids (lowercase UUIDs) match nothing, they are not an error;
 * - `list` is newest first (descending id; ids are UUIDv7, so that is creation order);
 * - `data` comes back as its JSON round trip, and stays absent when it was absent.
 */
export interface NotificationStore {
  /** Persists a new notification. Rejects if a notification with the same id exists. */
  insert(notification: Notification): Promise<void>;
  /**
   * One page of the user's notifications, newest first, at most `limit` (clamped to 1–100,
   * default 20) items older than `before`. `next` (the last item's id) is set when more remain.
   * @throws RangeError if `before` is given and is not a notification id.
   */
  list(userId: string, options?: Partial<NotificationListOptions>): Promise<NotificationPage>;
  /**
   * Marks the user's notifications `ids` as read. Resolves with the ids that actually changed
   * (were the user's and unread), so `markRead(...).length` is the number of changes and a caller
   * can tell other devices exactly what changed. Repeating a call changes nothing more.
   */
  markRead(userId: string, ids: readonly string[]): Promise<string[]>;
  /** Marks every notification of the user as read; resolves with how many changed. */
  markAllRead(userId: string): Promise<number>;
  /** How many of the user's notifications are unread. */
  unreadCount(userId: string): Promise<number>;
  /** Deletes the user's notifications `ids`; resolves with the ids that existed and were deleted. */
  delete(userId: string, ids: readonly string[]): Promise<string[]>;
  /** Releases what the store opened itself (a file, a pool). Safe to call twice. */
  close(): Promise<void>;
}
