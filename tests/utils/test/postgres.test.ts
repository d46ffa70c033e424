import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasPostgres, postgresBinDir, requireService, startPostgres } from '../src/index';

describe.skipIf(!requireService('postgresql', hasPostgres()))('startPostgres', () => {
  it('starts a cluster on loopback that accepts queries, and stop() removes it', async () => {
    const pg = await startPostgres();
    try {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      const psql = path.join(postgresBinDir()!, 'psql');
      const out = execFileSync(psql, [pg.url, '-tAc', 'select 1 + 1'], { encoding: 'utf8', cwd: '/' });
      expect(out.trim()).toBe('2');
    } finally {
      await pg.stop();
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(pg.dataDir)).toBe(false);
    await pg.stop(); // idempotent
  });
});
