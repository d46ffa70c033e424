/**
 * Notifications: the model, its zod-free Standard Schema validators, and the topic and method maps
 * of the per-user inbox. Shared by `@oxidite/server` and the browser client.
 */
export {
  isNotificationId,
  isNotificationUserId,
  NotificationLimits,
} from './notification';
export type { Notification, NotificationEvent, NotificationEventKind, NotificationInput } from './notification';
export { NotificationEventSchema, NotificationInputSchema, NotificationSchema } from './notification-schemas';
export {
  NotificationCountSchema,
  NotificationDeletedSchema,
  NotificationEmptyInputSchema,
  NotificationIdsInputSchema,
  NotificationListInputSchema,
  NotificationPageSchema,
  NotificationUpdatedSchema,
} from './method-schemas';
export type {
  NotificationCount,
  NotificationDeleted,
  NotificationEmptyInput,
  NotificationIdsInput,
  NotificationListInput,
  NotificationListOptions,
  NotificationPage,
  NotificationUpdated,
} from './method-schemas';
export { notificationMethods, notificationTopic, notificationTopics } from './notification-topics';
export type { NotificationMethods, NotificationTopic, NotificationTopics } from './notification-topics';
