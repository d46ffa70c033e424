import type Database from 'better-sqlite3';
import { checkTableName, DEFAULT_NOTIFICATION_TABLE } from '../../notifications/index';

/** Options of {@link migrateNotifications}. */
export interface MigrateNotificationsOptions {
  /** Table to create (a plain identifier, ≤ 48 characters). @default 'oxidite_notifications' */
  readonly table?: string | undefined;
}

/**
 * Creates the notification table and its indexes if missing (idempotent, one transaction). The
 * store runs it when it opens; call it yourself to create the table ahead (a deploy step).
 *
 * - `id` is the primary key (UUIDv7 text, time-ordered), in a `WITHOUT ROWID` table;
 * - `(user_id, id)` serves every per-user query, newest first and from a cursor;
 * - a partial `(user_id, id) WHERE is_read = 0` index keeps unread lists and counts proportional to
 *   the unread notifications, however large the read history grows.
 *
 * @example
 * import Database from 'better-sqlite3';
 * import { migrateNotifications } from '@oxidite/server/sqlite';
 * migrateNotifications(new Database('./data/notifications.db'));
 */
export function migrateNotifications(db: Database.Database, options: MigrateNotificationsOptions = {}): void {
  const table = checkTableName(options.table ?? DEFAULT_NOTIFICATION_TABLE);
  const t = `"${table}"`;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
      id TEXT NOT NULL PRIMARY KEY,
      user_id TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      category TEXT NOT NULL,
      data TEXT,
      created_at INTEGER NOT NULL,
      is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1))
    ) WITHOUT ROWID`);
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}_user_id" ON ${t} (user_id, id)`);
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}_unread" ON ${t} (user_id, id) WHERE is_read = 0`);
  })();
}

/** @deprecated Use {@link migrateNotifications} (the same name as in `@oxidite/server/postgres`). */
export function createSqliteSchema(db: Database.Database, table: string): void {
  migrateNotifications(db, { table });
}
