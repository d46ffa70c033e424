import type Database from 'better-sqlite3';

/**
 * Creates the notification table and its indexes if missing (idempotent, one transaction).
 *
 * - `id` is the primary key (UUIDv7 text, time-ordered), in a `WITHOUT ROWID` table;
 * - `(user_id, id)` serves every per-user query, newest first and from a cursor;
 * - a partial `(user_id, id) WHERE is_read = 0` index keeps unread lists and counts proportional to
 *   the unread notifications, however large the read history grows.
 */
export function createSqliteSchema(db: Database.Database, table: string): void {
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
