import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Notification } from '@oxidite/protocol';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteNotificationStore } from '../../src/sqlite';
import { startNotificationServer } from './notification-server';

const dir = mkdtempSync(path.join(tmpdir(), 'oxidite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const input = (title: string) => ({ title, body: `${title} ✓`, category: 'durable', data: { title } });

describe('notifications: durability on a SQLite file', () => {
  it('a new server and store on the same file list every notification with its read state', async () => {
    const file = path.join(dir, 'restart.db');
    const firstStore = createSqliteNotificationStore({ path: file });
    const first = await startNotificationServer(firstStore);
    const sent: Notification[] = [];
    for (let i = 0; i < 5; i++) sent.push(await first.service.send('alice', input(`n${i}`)));
    await first.service.send('bob', input('bob only'));
    const device = await first.connect('alice');
    const readIds = [sent[1]!.id, sent[3]!.id];
    expect(await first.call(device, 'notifications.markRead', { ids: readIds })).toEqual({ updated: 2 });
    await first.close();
    await firstStore.close();

    const secondStore = createSqliteNotificationStore({ path: file });
    const second = await startNotificationServer(secondStore);
    try {
      const again = await second.connect('alice');
      const page = (await second.call(again, 'notifications.list')) as { items: Notification[] };
      const expected = sent.map((n) => ({ ...n, read: readIds.includes(n.id) })).reverse();
      expect(page.items).toEqual(expected);
      expect(await second.call(again, 'notifications.unreadCount')).toEqual({ count: 3 });
      // New ids still sort after the old ones.
      const later = await second.service.send('alice', input('after restart'));
      const [newest] = ((await second.call(again, 'notifications.list', { limit: 1 })) as { items: Notification[] })
        .items;
      expect(newest?.id).toBe(later.id);
      expect(later.id > sent[4]!.id).toBe(true);
    } finally {
      await second.close();
      await secondStore.close();
    }
  });

  it('keeps every committed change when the writing process is killed without closing', async () => {
    const file = path.join(dir, 'killed.db');
    const bundle = path.join(dir, 'sqlite-store.cjs');
    // The store's own source, bundled for a plain `node` child (better-sqlite3 stays external).
    await build({
      entryPoints: [fileURLToPath(new URL('../../src/sqlite.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['better-sqlite3'],
      outfile: bundle,
      logLevel: 'silent',
    });
    const child = path.join(dir, 'writer.cjs');
    writeFileSync(
      child,
      `const { createSqliteNotificationStore } = require(${JSON.stringify(bundle)});
      (async () => {
        const store = createSqliteNotificationStore({ path: ${JSON.stringify(file)} });
        const ids = [];
        for (let i = 0; i < 50; i++) {
          const id = '00000000-0000-7000-8000-' + String(i).padStart(12, '0');
          await store.insert({ id, userId: 'alice', title: 'n' + i, body: '', category: 'c', data: { i }, createdAt: i, read: false });
          ids.push(id);
        }
        await store.markRead('alice', ids.filter((_, i) => i % 2 === 0));
        await store.delete('alice', [ids[49]]);
        process.kill(process.pid, 'SIGKILL'); // no close(), no checkpoint
      })();`,
    );
    // `require('better-sqlite3')` in the child resolves through NODE_PATH to this package's copy.
    const entry = createRequire(import.meta.url).resolve('better-sqlite3'); // …/node_modules/better-sqlite3/lib/index.js
    const nodeModules = path.resolve(entry, '../../..');
    const proc = spawn(process.execPath, [child], {
      env: { ...process.env, NODE_PATH: nodeModules },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(exit, stderr).toEqual({ code: null, signal: 'SIGKILL' });
    // Killed mid-flight: the changes are still in the write-ahead log, not yet checkpointed.
    expect(existsSync(`${file}-wal`)).toBe(true);

    const store = createSqliteNotificationStore({ path: file });
    try {
      const { items } = await store.list('alice', { limit: 100 });
      expect(items).toHaveLength(49);
      expect(items.map((n) => n.title)).toEqual(Array.from({ length: 49 }, (_, i) => `n${48 - i}`));
      expect(items.every((n) => n.read === (Number(n.title.slice(1)) % 2 === 0))).toBe(true);
      expect(await store.unreadCount('alice')).toBe(24);
    } finally {
      await store.close();
    }
  });
});
