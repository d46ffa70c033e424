import path from 'node:path';

/** The repository root. */
export const REPO = path.resolve(import.meta.dirname, '../../../..');

/**
 * The user docs whose code blocks are programs (snippets.test.ts runs every ```ts block of them)
 * and whose links must lead somewhere (links.test.ts).
 */
export const USER_DOCS = [
  'README.md',
  'packages/protocol/README.md',
  'packages/protocol/PROTOCOL.md',
  'packages/server/README.md',
  'packages/client/README.md',
  'packages/redis/README.md',
  'packages/testing/README.md',
  'packages/react/README.md',
  'packages/hub/README.md', // sh, json and python blocks: run by packages/hub/test (cli, browser)
] as const;
