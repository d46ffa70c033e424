import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, USER_DOCS } from './support/docs';

/**
 * Every relative link of the docs leads somewhere: the file exists and, for `file.md#anchor`, the
 * file has a heading with that anchor (GitHub's slugs). A lost heading broke three links once.
 */
// Beside the docs whose code runs: the benchmark report and the apps' READMEs.
const DOCS = [...USER_DOCS, 'BENCHMARKS.md', 'apps/demo/README.md', 'apps/bench/README.md'].filter((file) =>
  existsSync(path.join(REPO, file)),
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const links = DOCS.flatMap((doc) => {
  const text = readFileSync(path.join(REPO, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => ({ doc, target }));
});

describe('links in the docs', () => {
  it('finds links to check', () => {
    expect(links.length).toBeGreaterThan(10);
  });

  it.each(links.map((link) => [`${link.doc} → ${link.target}`, link] as const))('%s', (_, { doc, target }) => {
    const [file = '', anchor] = target.split('#');
    const resolved = file === '' ? path.join(REPO, doc) : path.resolve(path.dirname(path.join(REPO, doc)), file);
    expect(existsSync(resolved), `${resolved} exists`).toBe(true);
    if (anchor !== undefined && resolved.endsWith('.md')) {
      expect([...anchorsOf(resolved)], `#${anchor} in ${path.relative(REPO, resolved)}`).toContain(anchor);
    }
  });
});
