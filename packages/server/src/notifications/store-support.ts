import {
  isNotificationId,
  type Notification,
  NotificationLimits,
  type NotificationListOptions,
  type NotificationPage,
} from '@oxidite/protocol';

/**
 * What every {@link NotificationStore} implementation shares: list options with their defaults,
 * id filtering, paging, and the row mapping of the SQL stores. Exported for store authors.
 */

/** List options with defaults applied and `limit` clamped to 1–100. */
export function resolveListOptions(options: Partial<NotificationListOptions> = {}): NotificationListOptions {
  const { before } = options;
  if (before !== undefined && !isNotificationId(before)) {
    throw new RangeError('before must be a notification id (the `next` of a previous page)');
  }
  const requested = options.limit ?? NotificationLimits.DEFAULT_PAGE_SIZE;
  const limit = Number.isFinite(requested)
    ? Math.min(Math.max(Math.trunc(requested), 1), NotificationLimits.MAX_PAGE_SIZE)
    : NotificationLimits.DEFAULT_PAGE_SIZE;
  return { unreadOnly: options.unreadOnly ?? false, limit, ...(before === undefined ? {} : { before }) };
}

/** The distinct, well-formed notification ids among `ids` (others cannot match anything). */
export function selectIds(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isNotificationId))];
}

/** A page from up to `limit + 1` rows, newest first: the extra row only says that more remain. */
export function toPage(rows: readonly Notification[], limit: number): NotificationPage {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: items[items.length - 1]?.id };
}

/** Serializes `data` for a text column: `null` (SQL NULL) when absent, JSON text otherwise. */
export function serializeData(data: unknown): string | null {
  if (data === undefined) return null;
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError('notification data is not JSON-serializable');
  return json;
}

/** A notification as a row of the SQL stores. */
export interface NotificationRow {
  readonly id: string;
  readonly user_id: string;
  readonly title: string;
  readonly body: string;
  readonly category: string;
  /** JSON text, or null when the notification has no data. */
  readonly data: string | null;
  /** ms since the Unix epoch (PostgreSQL's `bigint` arrives as a string). */
  readonly created_at: number | string;
  /** SQLite has no boolean: 0 or 1. */
  readonly is_read: number | boolean;
}

/** Maps a row of the SQL stores back to a notification. */
export function fromRow(row: NotificationRow): Notification {
  const notification: Notification = {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    body: row.body,
    category: row.category,
    createdAt: Number(row.created_at),
    read: row.is_read === true || row.is_read === 1,
  };
  return row.data === null ? notification : { ...notification, data: JSON.parse(row.data) as unknown };
}

// 48 characters leave room for index-name suffixes within PostgreSQL's 63-byte identifiers.
const TABLE_RE = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/**
 * Checks a table name given in options (it is spliced into SQL, so only a plain identifier passes).
 * @throws TypeError if it is not 1–48 characters of `[A-Za-z0-9_]` starting with a letter or `_`.
 */
export function checkTableName(table: string): string {
  if (!TABLE_RE.test(table)) throw new TypeError(`Invalid table name: ${JSON.stringify(table)}`);
  return table;
}

/** The default table of the SQL stores. */
export const DEFAULT_NOTIFICATION_TABLE = 'oxidite_notifications';
