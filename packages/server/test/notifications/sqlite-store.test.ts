import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteNotificationStore, migrateNotifications } from '../../src/sqlite';
import { notificationStoreContract } from './store-contract';

const dir = mkdtempSync(path.join(tmpdir(), 'oxidite-notifications-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nextFile = () => path.join(dir, `store-${++files}.db`);

notificationStoreContract('sqlite', () => createSqliteNotificationStore({ path: nextFile() }));

describe('sqlite notification store', () => {
  it('creates its table ahead with migrateNotifications (same name as the PostgreSQL one), idempotent, name checked', async () => {
    const file = nextFile();
    const db = new Database(file);
    migrateNotifications(db, { table: 'inbox' });
    migrateNotifications(db, { table: 'inbox' });
    expect(() => migrateNotifications(db, { table: 'inbox"; DROP TABLE inbox; --' })).toThrow(/table/i);
    const store = createSqliteNotificationStore({ database: db, table: 'inbox' });
    await store.insert({
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      userId: 'u',
      title: 't',
      body: '',
      category: 'c',
      createdAt: 1,
      read: false,
    });
    expect(db.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: 1 });
    await store.close();
    db.close();
  });

  it('opens its file in WAL mode with synchronous=NORMAL, with its table and indexes', async () => {
    const file = nextFile();
    const store = createSqliteNotificationStore({ path: file });
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const indexes = store.database
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'oxidite_notifications'",
      )
      .all()
      .map((row) => row.name);
    expect(indexes).toEqual(expect.arrayContaining(['oxidite_notifications_user_id', 'oxidite_notifications_unread']));
    const plan = store.database
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT id FROM oxidite_notifications WHERE user_id = 'a' AND is_read = 0 ORDER BY id DESC LIMIT 21",
      )
      .all()
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX oxidite_notifications_(unread|user_id)/);
    await store.close();
    expect(existsSync(file)).toBe(true);
    // Opening again on the same file is idempotent.
    await createSqliteNotificationStore({ path: file }).close();
  });

  it('uses a database of yours (and leaves it open) and a table of your choice', async () => {
    const db = new Database(':memory:');
    const store = createSqliteNotificationStore({ database: db, table: 'inbox' });
    await store.insert({
      id: '00000000-0000-7000-8000-000000000001',
      userId: 'a',
      title: 't',
      body: '',
      category: 'c',
      createdAt: 1,
      read: false,
    });
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM inbox').get()).toEqual({ n: 1 });
    db.close();
    expect(() =>
      createSqliteNotificationStore({ database: new Database(':memory:'), table: 'x; DROP TABLE y' }),
    ).toThrow(TypeError);
  });
});
