import type { Notification } from '@oxidite/protocol';
import pg, { type Pool, type QueryResult, type QueryResultRow } from 'pg';
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
import { migrateNotifications } from './postgres-schema';

/** Options of {@link createPostgresNotificationStore}: a `pool` of yours, or a `connectionString`. */
export type PostgresNotificationStoreOptions = (
  | {
      /** A `pg` pool of yours; `close()` leaves it open. */
      readonly pool: Pool;
      readonly connectionString?: undefined;
    }
  | {
      /** A connection string, e.g. `postgres://user@host:5432/app`; the store's own pool is ended by `close()`. */
      readonly connectionString: string;
      readonly pool?: undefined;
      /** Connections of the store's own pool. @default 10 */
      readonly maxConnections?: number | undefined;
    }
) & {
  /** Table to use. @default 'oxidite_notifications' */
  readonly table?: string | undefined;
  /**
   * Runs {@link migrateNotifications} before the first query (a failure is retried by the next call).
   * Set false when migrations run elsewhere, e.g. in a deploy step. @default true
   */
  readonly migrate?: boolean | undefined;
  /** Receives errors of idle connections in the store's own pool (which would otherwise crash the process). @default ignore */
  readonly onError?: ((error: Error) => void) | undefined;
};

/** A notification store on PostgreSQL; `pool` is the `pg` pool it queries. */
export interface PostgresNotificationStore extends NotificationStore {
  readonly pool: Pool;
}

const COLUMNS = 'id, user_id, title, body, category, data::text AS data, created_at, is_read';

/**
 * A durable notification store on PostgreSQL (`pg`), for many nodes sharing one inbox.
 * Every statement is parameterized and scoped to the user.
 *
 * @example
 * import { createPostgresNotificationStore } from '@oxidite/server/postgres';
 * const store = createPostgresNotificationStore({ connectionString: process.env.DATABASE_URL });
 */
export function createPostgresNotificationStore(options: PostgresNotificationStoreOptions): PostgresNotificationStore {
  const table = checkTableName(options.table ?? DEFAULT_NOTIFICATION_TABLE);
  const t = `"${table}"`;
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool === undefined
      ? new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 })
      : options.pool;
  if (ownsPool) pool.on('error', options.onError ?? (() => {}));
  let migration: Promise<void> | undefined;
  let isClosed = false;

  function ready(): Promise<void> {
    if (options.migrate === false) return Promise.resolve();
    migration ??= migrateNotifications(pool, { table }).catch((error: unknown) => {
      migration = undefined;
      throw error;
    });
    return migration;
  }

  async function query<R extends QueryResultRow>(text: string, values: unknown[]): Promise<QueryResult<R>> {
    await ready();
    return pool.query<R>(text, values);
  }

  async function changedIds(sql: string, userId: string, ids: readonly string[]): Promise<string[]> {
    const selected = selectIds(ids);
    if (selected.length === 0) return [];
    const result = await query<{ id: string }>(sql, [userId, selected]);
    return result.rows.map((row) => row.id);
  }

  return {
    pool,
    async insert(notification: Notification) {
      const { id, userId, title, body, category, data, createdAt, read } = notification;
      await query(
        `INSERT INTO ${t} (id, user_id, title, body, category, data, created_at, is_read)
         VALUES ($1, $2, $3, $4, $5, $6::json, $7, $8)`,
        [id, userId, title, body, category, serializeData(data), createdAt, read],
      );
    },
    async list(userId, listOptions) {
      const { unreadOnly, limit, before } = resolveListOptions(listOptions);
      const values: unknown[] = [userId, limit + 1];
      if (before !== undefined) values.push(before);
      const result = await query<NotificationRow>(
        `SELECT ${COLUMNS} FROM ${t} WHERE user_id = $1${before === undefined ? '' : ' AND id < $3'}` +
          `${unreadOnly ? ' AND NOT is_read' : ''} ORDER BY id DESC LIMIT $2`,
        values,
      );
      return toPage(result.rows.map(fromRow), limit);
    },
    markRead(userId, ids) {
      return changedIds(
        `UPDATE ${t} SET is_read = true WHERE user_id = $1 AND NOT is_read AND id = ANY($2::uuid[]) RETURNING id`,
        userId,
        ids,
      );
    },
    async markAllRead(userId) {
      const result = await query(`UPDATE ${t} SET is_read = true WHERE user_id = $1 AND NOT is_read`, [userId]);
      return result.rowCount ?? 0;
    },
    async unreadCount(userId) {
      const result = await query<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE user_id = $1 AND NOT is_read`, [
        userId,
      ]);
      return Number(result.rows[0]?.n ?? 0);
    },
    delete(userId, ids) {
      return changedIds(`DELETE FROM ${t} WHERE user_id = $1 AND id = ANY($2::uuid[]) RETURNING id`, userId, ids);
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      if (ownsPool) await pool.end();
    },
  };
}
