/** The PostgreSQL notification store (optional peer `pg`), served as `@oxidite/server/postgres`. */
export { createPostgresNotificationStore } from './postgres-notification-store';
export type { PostgresNotificationStore, PostgresNotificationStoreOptions } from './postgres-notification-store';
export { migrateNotifications } from './postgres-schema';
export type { MigrateNotificationsOptions } from './postgres-schema';
