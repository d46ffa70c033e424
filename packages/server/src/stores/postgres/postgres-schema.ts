import type { Pool } from 'pg';
import { checkTableName, DEFAULT_NOTIFICATION_TABLE } from '../../notifications/index';

/** Options of {@link migrateNotifications}. */
export interface MigrateNotificationsOptions {
  /** Table to create (a plain identifier, ≤ 48 characters). @default 'oxidite_notifications' */
  readonly table?: string | undefined;
}

/**
 * Creates the notification table and its indexes if missing. Idempotent, and safe when many nodes
 * start at once: it runs in one transaction under an advisory lock, because concurrent
 * `CREATE … IF NOT EXISTS` statements can still collide in PostgreSQL's catalogs.
 *
 * - `id uuid` primary key (UUIDv7, time-ordered; PostgreSQL orders uuids bytewise, i.e. by time);
 * - `data json` (not `jsonb`): the text is kept as sent, so `\u0000` and key order survive;
 * - `(user_id, id)` serves every per-user query, and a partial `(user_id, id) WHERE NOT is_read`
 *   index keeps unread lists and counts proportional to the unread notifications.
 *
 * @example
 * import { migrateNotifications } from '@oxidite/server/postgres';
 * await migrateNotifications(pool); // e.g. from a deploy step, with `migrate: false` on the store
 */
export async function migrateNotifications(pool: Pool, options: MigrateNotificationsOptions = {}): Promise<void> {
  const table = checkTableName(options.table ?? DEFAULT_NOTIFICATION_TABLE);
  const t = `"${table}"`;
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`oxidite:migrate:${table}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${t} (
      id uuid PRIMARY KEY,
      user_id text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      category text NOT NULL,
      data json,
      created_at bigint NOT NULL,
      is_read boolean NOT NULL DEFAULT false
    )`);
    await client.query(`CREATE INDEX IF NOT EXISTS "${table}_user_id" ON ${t} (user_id, id)`);
    await client.query(`CREATE INDEX IF NOT EXISTS "${table}_unread" ON ${t} (user_id, id) WHERE NOT is_read`);
    await client.query('COMMIT');
  } catch (error) {
    // A connection whose ROLLBACK fails is in an unknown state: destroy it rather than pool it.
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      failure = rollbackError;
    });
    throw error;
  } finally {
    client.release(failure);
  }
}
