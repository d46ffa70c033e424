import type { Notification } from '@oxidite/protocol';
import Database from 'better-sqlite3';
import {
  checkTableName,
  DEFAULT_NOTIFICATION_TABLE,
  fromRow,
  type NotificationRow,
  type NotificationStore,
  resolveListOptions,
  selectIds,
  serializeData,
  toPage,
} from '../../notifications/index';
import { migrateNotifications } from './sqlite-schema';

/** Options of {@link createSqliteNotificationStore}: a file `path`, or an open `database`. */
export type SqliteNotificationStoreOptions = (
  | {
      /**
       * The database file, created with its directory's permissions if missing. The store opens it
       * in WAL mode with `synchronous = NORMAL` (a crash never corrupts it nor loses a committed
       * notification; a power loss may lose the last ones) and closes it in `close()`.
       */
      readonly path: string;
      readonly database?: undefined;
    }
  | {
      /** An open better-sqlite3 database. Its pragmas are left alone, and `close()` does not close it. */
      readonly database: Database.Database;
      readonly path?: undefined;
    }
) & {
  /** Table to use (created with its indexes if missing). @default 'oxidite_notifications' */
  readonly table?: string | undefined;
  /** How long a write waits for another process's lock, in ms (when the store opens the file). @default 5_000 */
  readonly busyTimeout?: number | undefined;
};

/** A notification store on SQLite; `database` is the better-sqlite3 handle (for backups, say). */
export interface SqliteNotificationStore extends NotificationStore {
  readonly database: Database.Database;
}

const COLUMNS = 'id, user_id, title, body, category, data, created_at, is_read';

/**
 * A durable notification store on one SQLite file (better-sqlite3), the embedded default for a
 * single process. Creates its table and indexes on open; every query is a prepared statement scoped
 * to the user.
 *
 * @example
 * import { createSqliteNotificationStore } from '@oxidite/server/sqlite';
 * const store = createSqliteNotificationStore({ path: './data/notifications.db' });
 */
export function createSqliteNotificationStore(options: SqliteNotificationStoreOptions): SqliteNotificationStore {
  const table = checkTableName(options.table ?? DEFAULT_NOTIFICATION_TABLE);
  const ownsDatabase = options.database === undefined;
  const db =
    options.database === undefined ? openDatabase(options.path, options.busyTimeout ?? 5_000) : options.database;
  let isClosed = false;
  try {
    migrateNotifications(db, { table });
  } catch (error) {
    if (ownsDatabase) db.close();
    throw error;
  }

  const t = `"${table}"`;
  const insert = db.prepare(`INSERT INTO ${t} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  // One statement per filter combination, so each one uses the index that fits it.
  const listStatement = (unreadOnly: boolean, hasCursor: boolean) =>
    db.prepare<unknown[], NotificationRow>(
      `SELECT ${COLUMNS} FROM ${t} WHERE user_id = ?${hasCursor ? ' AND id < ?' : ''}` +
        `${unreadOnly ? ' AND is_read = 0' : ''} ORDER BY id DESC LIMIT ?`,
    );
  const lists = [
    listStatement(false, false),
    listStatement(false, true),
    listStatement(true, false),
    listStatement(true, true),
  ];
  const markRead = db.prepare<[string, string], { id: string }>(
    `UPDATE ${t} SET is_read = 1 WHERE user_id = ? AND is_read = 0 AND id IN (SELECT value FROM json_each(?)) RETURNING id`,
  );
  const markAllRead = db.prepare(`UPDATE ${t} SET is_read = 1 WHERE user_id = ? AND is_read = 0`);
  const unreadCount = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM ${t} WHERE user_id = ? AND is_read = 0`,
  );
  const remove = db.prepare<[string, string], { id: string }>(
    `DELETE FROM ${t} WHERE user_id = ? AND id IN (SELECT value FROM json_each(?)) RETURNING id`,
  );

  const changedIds = (statement: typeof markRead, userId: string, ids: readonly string[]): string[] => {
    const selected = selectIds(ids);
    if (selected.length === 0) return [];
    return statement.all(userId, JSON.stringify(selected)).map((row) => row.id);
  };

  return {
    database: db,
    async insert(notification: Notification) {
      const { id, userId, title, body, category, data, createdAt, read } = notification;
      insert.run(id, userId, title, body, category, serializeData(data), createdAt, read ? 1 : 0);
    },
    async list(userId, listOptions) {
      const { unreadOnly, limit, before } = resolveListOptions(listOptions);
      const statement = lists[(unreadOnly ? 2 : 0) + (before === undefined ? 0 : 1)] as (typeof lists)[number];
      const params = before === undefined ? [userId, limit + 1] : [userId, before, limit + 1];
      return toPage(statement.all(...params).map(fromRow), limit);
    },
    async markRead(userId, ids) {
      return changedIds(markRead, userId, ids);
    },
    async markAllRead(userId) {
      return markAllRead.run(userId).changes;
    },
    async unreadCount(userId) {
      return unreadCount.get(userId)?.n ?? 0;
    },
    async delete(userId, ids) {
      return changedIds(remove, userId, ids);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      if (ownsDatabase) db.close();
    },
  };
}

function openDatabase(path: string, busyTimeout: number): Database.Database {
  const db = new Database(path, { timeout: busyTimeout });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}
