/**
 * Notifications: a durable per-user inbox (`NotificationStore`) delivered live on
 * `notifications:{user}` (`createNotificationService`), with RPC methods and REST handlers.
 * The SQLite and PostgreSQL stores live in `@oxidite/server/sqlite` and `@oxidite/server/postgres`.
 */
export { createNotificationService } from './notification-service';
export type { NotificationRealtime, NotificationService, NotificationServiceOptions } from './notification-service';
export type { NotificationOperations } from './notification-operations';
export { createNotificationHandlers } from './notification-http';
export type { NotificationHandlers, NotificationHttpHandler, NotificationHttpOptions } from './notification-http';
export { registerNotificationRpc } from './notification-rpc';
export type { RpcRegistrar } from './notification-rpc';
export type { NotificationStore } from './notification-store';
export { createMemoryNotificationStore } from './memory-notification-store';
export type { MemoryNotificationStoreOptions } from './memory-notification-store';
export { createUuidV7Generator, uuidV7, uuidV7Timestamp } from './uuid-v7';
export type { UuidV7Options } from './uuid-v7';
export { MAX_PAGE_BYTES, fitPage } from './page-budget';
export {
  DEFAULT_NOTIFICATION_TABLE,
  checkTableName,
  fromRow,
  resolveListOptions,
  selectIds,
  serializeData,
  toPage,
} from './store-support';
export type { NotificationRow } from './store-support';
