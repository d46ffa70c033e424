/**
 * @oxidite/server/postgres — the PostgreSQL notification store, on the optional peer `pg`
 * (install it yourself: `pnpm add pg`). Kept out of the root entry so that `@oxidite/server`
 * alone does not need it.
 *
 * @example
 * import { createNotificationService } from '@oxidite/server';
 * import { createPostgresNotificationStore } from '@oxidite/server/postgres';
 * const store = createPostgresNotificationStore({ connectionString: process.env.DATABASE_URL });
 * const notifications = createNotificationService({ store, realtime: rt });
 *
 * @module
 */

// PostgreSQL notification store
export { createPostgresNotificationStore, migrateNotifications } from './stores/postgres/index';
export type {
  MigrateNotificationsOptions,
  PostgresNotificationStore,
  PostgresNotificationStoreOptions,
} from './stores/postgres/index';
