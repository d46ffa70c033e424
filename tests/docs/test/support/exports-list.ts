import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The names one entry point exports, in groups headed by the `//` comment above each group. */
export interface ExportGroup {
  readonly heading: string;
  readonly values: readonly string[];
  readonly types: readonly string[];
}

/** The `//` comment lines right above a statement, joined: the group heading in our index files. */
function headingOf(text: string, statement: ts.Statement): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, statement.pos) ?? [];
  const lines = ranges
    .filter((range) => range.kind === ts.SyntaxKind.SingleLineCommentTrivia)
    .map((range) => text.slice(range.pos + 2, range.end).trim());
  return lines.length > 0 ? lines.join(' ') : undefined;
}

/** Reads the exports of an entry file (`export { … } from`, `export type { … } from`), by group. */
export function exportGroups(file: string): ExportGroup[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const groups: { heading: string; values: string[]; types: string[] }[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) throw new Error(`${file}: use named exports (export { … } from)`);
    const heading = headingOf(text, statement);
    if (heading !== undefined || groups.length === 0) groups.push({ heading: heading ?? '', values: [], types: [] });
    const group = groups.at(-1)!;
    for (const element of clause.elements) {
      (statement.isTypeOnly || element.isTypeOnly ? group.types : group.values).push(element.name.text);
    }
  }
  return groups;
}

/** The source file of each public entry of a package (`"."` → `src/index.ts`, `"./sqlite"` → `src/sqlite.ts`). */
export function entryFiles(packageDir: string): { specifier: string; file: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => ({
      specifier: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`,
      file: path.join(packageDir, 'src', `${key === '.' ? 'index' : key.slice(2)}.ts`),
    }));
}

const code = (names: readonly string[]) =>
  [...names]
    .sort((a, b) => a.localeCompare(b))
    .map((n) => `\`${n}\``)
    .join(', ');

/** The README section listing every export of a package, generated from its entry files. */
export function renderExports(packageDir: string): string {
  const entries = entryFiles(packageDir);
  const lines: string[] = [];
  for (const { specifier, file } of entries) {
    if (entries.length > 1) lines.push(`From \`${specifier}\`:`, '');
    for (const group of exportGroups(file)) {
      const parts = [
        group.values.length > 0 ? code(group.values) : '',
        group.types.length > 0 ? `types ${code(group.types)}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const heading = group.heading.replace(/\s*\(.*\)$/, '');
      lines.push(`- **${heading || 'Exports'}**: ${parts}`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

export const EXPORTS_START =
  '<!-- exports: generated from the entry files by tests/docs (UPDATE_DOCS=1 rewrites it) -->';
export const EXPORTS_END = '<!-- /exports -->';
