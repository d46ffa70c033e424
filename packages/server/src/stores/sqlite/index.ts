/** The SQLite notification store (optional peer `better-sqlite3`), served as `@oxidite/server/sqlite`. */
export { createSqliteNotificationStore } from './sqlite-notification-store';
export type { SqliteNotificationStore, SqliteNotificationStoreOptions } from './sqlite-notification-store';
export { createSqliteSchema, migrateNotifications } from './sqlite-schema';
export type { MigrateNotificationsOptions } from './sqlite-schema';
