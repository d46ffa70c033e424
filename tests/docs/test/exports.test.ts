import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPORTS_END, EXPORTS_START, renderExports } from './support/exports-list';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['protocol', 'server', 'client', 'redis', 'testing', 'react', 'hub'];

/**
 * Every published package's README lists what it exports (issue #17): the section is generated
 * from the entry files, so an export added or removed without its README fails here.
 */
describe.each(PACKAGES)('@oxidite/%s README', (name) => {
  it('lists exactly what the package exports', () => {
    const dir = path.join(ROOT, 'packages', name);
    const readmePath = path.join(dir, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const start = readme.indexOf(EXPORTS_START);
    const end = readme.indexOf(EXPORTS_END);
    const expected = `${EXPORTS_START}\n${renderExports(dir)}\n${EXPORTS_END}`;
    if (process.env.UPDATE_DOCS === '1') {
      const next =
        start === -1
          ? `${readme.trimEnd()}\n\n## Exports\n\n${expected}\n`
          : readme.slice(0, start) + expected + readme.slice(end + EXPORTS_END.length);
      writeFileSync(readmePath, next);
      return;
    }
    expect(
      start,
      `no exports section in ${readmePath}: run UPDATE_DOCS=1 npx vitest run test/exports.test.ts`,
    ).not.toBe(-1);
    expect(readme.slice(start, end + EXPORTS_END.length)).toBe(expected);
  });
});
