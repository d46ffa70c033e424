/**
 * @oxidite/server/sqlite — the SQLite notification store, on the optional peer `better-sqlite3`
 * (install it yourself: `pnpm add better-sqlite3@12`). Kept out of the root entry so that
 * `@oxidite/server` alone installs with no native build.
 *
 * @example
 * import { createNotificationService } from '@oxidite/server';
 * import { createSqliteNotificationStore } from '@oxidite/server/sqlite';
 * const store = createSqliteNotificationStore({ path: './data/notifications.db' });
 * const notifications = createNotificationService({ store, realtime: rt });
 *
 * @module
 */

// SQLite notification store
export { createSqliteNotificationStore, createSqliteSchema, migrateNotifications } from './stores/sqlite/index';
export type {
  MigrateNotificationsOptions,
  SqliteNotificationStore,
  SqliteNotificationStoreOptions,
} from './stores/sqlite/index';
