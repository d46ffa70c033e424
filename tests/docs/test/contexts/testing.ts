import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { markdownSnippets } from '@oxidite/test-utils';
import type { SnippetContexts } from '../support/context';

const REPO = path.resolve(import.meta.dirname, '../../../..');
const HERE = path.resolve(import.meta.dirname, '../..');
const EXAMPLE = 'packages/testing/README.md § Example: a chat that survives a cut #0';

/** packages/testing/README.md: its example is a vitest test file, so vitest runs it, in a child process. */
export const testingContexts: SnippetContexts = {
  [EXAMPLE]: {
    env: 'node',
    async run() {
      const example = markdownSnippets(REPO, 'packages/testing/README.md').find((s) => s.name === EXAMPLE);
      const dir = mkdtempSync(path.join(HERE, '.snippet-'));
      try {
        writeFileSync(path.join(dir, example?.fileName ?? 'chat.test.ts'), example?.code ?? '');
        const vitest = path.join(REPO, 'node_modules', 'vitest', 'vitest.mjs');
        // Rejects with vitest's output when the example's test fails.
        await promisify(execFile)(process.execPath, [vitest, 'run', '--root', dir], { cwd: dir });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
};
