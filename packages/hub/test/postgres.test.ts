import { hasPostgres, type PostgresServer, requireService, startPostgres } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub } from './support/test-hub';

describe.skipIf(!requireService('postgres', hasPostgres()))('DATABASE_URL', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(() => postgres?.stop());

  it('keeps notifications in PostgreSQL, shared by every hub that names it', async () => {
    await using a = await startTestHub({}, { databaseUrl: postgres.url });
    await using b = await startTestHub({}, { databaseUrl: postgres.url });
    const sent = await a.api('/api/users/42/notifications', {
      key: 'publish',
      body: { title: 'Stored', body: 'in postgres', category: 'test' },
    });
    expect(sent.status).toBe(201);
    const listed = await b.api('/api/users/42/notifications', { key: 'history' });
    expect(listed.body?.['items']).toEqual([expect.objectContaining({ id: sent.body?.['id'], title: 'Stored' })]);
  });
});
