import { hasPostgres, type PostgresServer, requireService, startPostgres } from '@oxidite/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresNotificationStore, migrateNotifications } from '../../src/postgres';
import { notificationStoreContract } from './store-contract';

describe.skipIf(!requireService('postgresql', hasPostgres()))('postgres notification store', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let tables = 0;
  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  // A table per test keeps every test's store empty on one shared cluster.
  notificationStoreContract('postgres', () => createPostgresNotificationStore({ pool, table: `contract_${++tables}` }));

  it('migrates idempotently, also from many nodes at once', async () => {
    await Promise.all(Array.from({ length: 5 }, () => migrateNotifications(pool, { table: 'concurrent' })));
    await migrateNotifications(pool, { table: 'concurrent' });
    const { rows } = await pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'concurrent' ORDER BY indexname",
    );
    expect(rows.map((row) => row.indexname)).toEqual(['concurrent_pkey', 'concurrent_unread', 'concurrent_user_id']);
  });

  it('opens its own pool from a connection string and ends it on close', async () => {
    const store = createPostgresNotificationStore({ connectionString: server.url, table: 'own_pool' });
    await store.insert({
      id: '00000000-0000-7000-8000-000000000001',
      userId: 'a',
      title: 't',
      body: '',
      category: 'c',
      createdAt: 1,
      read: false,
    });
    expect(await store.unreadCount('a')).toBe(1);
    await store.close();
    expect(store.pool.ended).toBe(true);
    await expect(store.unreadCount('a')).rejects.toThrow();
  });

  it('with migrate: false, expects the table to exist', async () => {
    const store = createPostgresNotificationStore({ pool, table: 'not_migrated', migrate: false });
    await expect(store.unreadCount('a')).rejects.toThrow(/does not exist/);
    await migrateNotifications(pool, { table: 'not_migrated' });
    expect(await store.unreadCount('a')).toBe(0);
  });
});
