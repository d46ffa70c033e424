import path from 'node:path';
import { bundleForBrowser, markdownSnippets } from '@oxidite/test-utils';
import { describe, expect, it } from 'vitest';
import { clientContexts } from './contexts/client';

/**
 * What the docs' browser examples cost a browser app (#16: a topic map written with full `zod`, as
 * the READMEs once showed, made the bundle 34 KB instead of 9 KB). Each example is bundled as
 * printed, the way an app would (esbuild, minified, gzip level 9, packages from their built `dist`).
 */
const REPO = path.resolve(import.meta.dirname, '../../..');
const HERE = path.resolve(import.meta.dirname, '..');
/** The client's own budget (12 KB, packages/client/test/bundle-size.test.ts) plus zod/mini's share. */
const BROWSER_EXAMPLE_BUDGET_BYTES = 16 * 1024;

function bundle(contents: string) {
  return bundleForBrowser(contents, { resolveDir: HERE });
}

/** The imports and the exported topic map of a snippet: what a browser imports of a shared file. */
const topicMapOf = (code: string) => {
  const start = code.indexOf('export const topics');
  const end = code.indexOf('});', start) + 3;
  const imports = code.split('\n').filter((line) => line.startsWith('import ') && !line.includes('@oxidite/server'));
  return `${imports.join('\n')}\n${code.slice(start, end)}`;
};

const snippet = (file: string, name: string) => {
  const found = markdownSnippets(REPO, file).find((s) => s.name === name);
  if (!found) throw new Error(`${name} is gone`);
  return found;
};

describe('browser examples of the docs, bundled', () => {
  it.each([
    ['packages/client/README.md', 'packages/client/README.md § Quick start #0'],
    ['README.md', 'README.md § In ten lines #0'],
    [
      'packages/protocol/README.md',
      'packages/protocol/README.md § Topic maps: one declaration, types on both sides #0',
    ],
    ['packages/server/README.md', 'packages/server/README.md § Quick start #0'],
  ])(`%s: %s stays under ${BROWSER_EXAMPLE_BUDGET_BYTES} B min+gzip, with zod/mini, not zod`, async (file, name) => {
    const example = snippet(file, name);
    const prelude = clientContexts[name]?.prelude ?? '';
    // A topic map shared with the browser is measured with the client that imports it.
    const app = name.startsWith('packages/client/')
      ? `${prelude}\n${example.code}`
      : `${topicMapOf(example.code)}\nimport { createClient } from '@oxidite/client';\nexport const client = createClient({ url: 'wss://example.com/ws', topics });`;
    const { inputs, gzipped } = await bundle(app);
    expect(inputs.filter((input) => /node_modules\/zod\/v4\/classic/.test(input))).toEqual([]);
    expect(gzipped).toBeLessThan(BROWSER_EXAMPLE_BUDGET_BYTES);
    process.stdout.write(`${name}: ${gzipped} B min+gzip\n`);
  });
});
