import type { Notification, NotificationInput, NotificationListInput, NotificationPage } from '@oxidite/protocol';

/**
 * The operations of a per-user inbox, as the RPC methods and HTTP handlers call them. Every method
 * rejects with `RealtimeError('invalid')` on bad input (an invalid user id included) and with the
 * store's error if the store fails.
 */
export interface NotificationOperations {
  /** Persists, then publishes `{ kind: 'created' }` to the user's devices. Resolves once stored. */
  send(userId: string, input: NotificationInput): Promise<Notification>;
  /** A page of the user's notifications, newest first (see `notifications.list`). */
  list(userId: string, input?: NotificationListInput | null): Promise<NotificationPage>;
  /** Marks up to 100 of the user's notifications read; publishes `{ kind: 'read', ids }` with those that changed. */
  markRead(userId: string, ids: readonly string[]): Promise<number>;
  /** Marks all of the user's notifications read; publishes `{ kind: 'read_all' }` if any changed. */
  markAllRead(userId: string): Promise<number>;
  /** How many of the user's notifications are unread. */
  unreadCount(userId: string): Promise<number>;
  /** Deletes up to 100 of the user's notifications; publishes `{ kind: 'deleted', ids }` with those that existed. */
  delete(userId: string, ids: readonly string[]): Promise<number>;
}
