import { defineMethods } from '../topics/method-map';
import { defineTopics } from '../topics/topic-map';
import {
  NotificationCountSchema,
  NotificationDeletedSchema,
  NotificationEmptyInputSchema,
  NotificationIdsInputSchema,
  NotificationListInputSchema,
  NotificationPageSchema,
  NotificationUpdatedSchema,
} from './method-schemas';
import { isNotificationUserId } from './notification';
import { NotificationEventSchema } from './notification-schemas';

/**
 * The notification topic: `notifications:{user}` carries the `NotificationEvent`s of one user.
 * It is owned by `user`, so only that user may subscribe and only the server publishes. History
 * keeps the last 100 events for 10 minutes, so a device that reconnects with `since` misses nothing.
 *
 * Spread it into the server's topic map: `defineTopics({ ...appTopics, ...notificationTopics })`.
 *
 * Loss-free start on a device: subscribe to `notificationTopic(userId)` first, then call
 * `notifications.list` with `unreadOnly: true`, and merge both by id (keep `read: true` once seen).
 * In the other order, a notification sent between the list and the subscribe would be missed.
 */
export const notificationTopics = /* @__PURE__ */ (() =>
  defineTopics({
    'notifications:{user}': {
      schema: NotificationEventSchema,
      owner: 'user',
      history: { size: 100, maxAge: 600_000 },
    },
  }))();

/**
 * The RPC methods of the notification inbox. Each acts on the calling principal's own notifications
 * only; an anonymous caller gets `unauthorized`.
 *
 * - `notifications.list` `{ unreadOnly?, limit? (1–100, default 20), before? }` → `{ items, next? }`,
 *   newest first; pass `next` as `before` for the following page.
 * - `notifications.markRead` `{ ids }` (≤ 100) → `{ updated }`: how many changed from unread to read.
 * - `notifications.markAllRead` `{}` → `{ updated }`.
 * - `notifications.unreadCount` `{}` → `{ count }`.
 * - `notifications.delete` `{ ids }` (≤ 100) → `{ deleted }`.
 *
 * Spread it into the server's method map so requests are validated at the edge and typed on the client:
 * `defineMethods({ ...appMethods, ...notificationMethods })`. See {@link notificationTopics} for the
 * order of subscribe and list on connect.
 */
export const notificationMethods = /* @__PURE__ */ (() =>
  defineMethods({
    'notifications.list': { input: NotificationListInputSchema, output: NotificationPageSchema },
    'notifications.markRead': { input: NotificationIdsInputSchema, output: NotificationUpdatedSchema },
    'notifications.markAllRead': { input: NotificationEmptyInputSchema, output: NotificationUpdatedSchema },
    'notifications.unreadCount': { input: NotificationEmptyInputSchema, output: NotificationCountSchema },
    'notifications.delete': { input: NotificationIdsInputSchema, output: NotificationDeletedSchema },
  }))();

/** The topic map of notifications. */
export type NotificationTopics = typeof notificationTopics;

/** The method map of notifications. */
export type NotificationMethods = typeof notificationMethods;

/** A user's notification topic. */
export type NotificationTopic = `notifications:${string}`;

/**
 * The notification topic of `userId`, e.g. `notifications:42`.
 * @throws TypeError if `userId` is not a valid notification user id (see `isNotificationUserId`).
 */
export function notificationTopic(userId: string): NotificationTopic {
  if (!isNotificationUserId(userId)) throw new TypeError(`Invalid notification user id: ${JSON.stringify(userId)}`);
  return `notifications:${userId}`;
}
