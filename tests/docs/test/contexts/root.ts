import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { markdownSnippets, runReadmeChat, startProgram, writeSnippetFiles } from '@oxidite/test-utils';
import { expect } from 'vitest';
import type { SnippetContexts } from '../support/context';

const REPO = path.resolve(import.meta.dirname, '../../../..');
const HERE = path.resolve(import.meta.dirname, '../..');

/** The README's files written side by side in a folder of this package (which resolves `@oxidite/*`). */
async function inProject(use: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(HERE, '.snippet-'));
  try {
    writeSnippetFiles(dir, markdownSnippets(REPO, 'README.md'));
    await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** README.md: "In ten lines" is three files, run as printed with `node`. */
export const rootContexts: SnippetContexts = {
  'README.md § In ten lines #0': { env: 'node' },
  'README.md § In ten lines #1': {
    env: 'node',
    async run() {
      await inProject(async (dir) => {
        const server = startProgram('server.mjs', dir, { PORT: '0' });
        try {
          const port = (await server.line(/^chat on ws:\/\/127\.0\.0\.1:(\d+)\/ws$/))[1];
          // `listen()` mounts every endpoint, not only the WebSocket.
          for (const [endpoint, status] of [
            ['/metrics', 200],
            ['/realtime/details', 200],
            ['/events?topic=chat:lobby', 200],
          ] as const) {
            const response = await fetch(`http://127.0.0.1:${port}${endpoint}`);
            expect(response.status, endpoint).toBe(status);
            await response.body?.cancel();
          }
          server.kill('SIGTERM');
          expect(await server.exited()).toBe(0);
        } finally {
          server.kill('SIGKILL');
        }
      });
    },
  },
  'README.md § In ten lines #2': {
    env: 'node',
    run: () => inProject(runReadmeChat),
  },
};
