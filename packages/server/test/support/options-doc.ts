import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** One documented option: its path (`security.rateLimits.publishesPerUser`), JSDoc text and `@default`. */
export interface DocumentedOption {
  readonly name: string;
  readonly meaning: string;
  /** The `@default` text, without its `(dev …)` part. */
  readonly defaultText: string;
  /** The development preset's value, from `(dev …)` after the default. */
  readonly devText?: string;
}

/** The members of `interface <name>` in `file` (under src/), with their JSDoc, in source order. */
export function documentedMembers(file: string, name: string, prefix = ''): DocumentedOption[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(SRC, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const declaration = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (!declaration) throw new Error(`src/${file} declares no interface ${name}`);
  return declaration.members.filter(ts.isPropertySignature).map((member) => {
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const text = (comment: string | ts.NodeArray<ts.JSDocComment> | undefined) =>
      (ts.getTextOfJSDocComment(comment) ?? '').replace(/\s+/g, ' ').trim();
    const tag = docs.flatMap((doc) => doc.tags ?? []).find((t) => t.tagName.text === 'default');
    const fullDefault = text(tag?.comment);
    const dev = /^(.*?)\s*\(dev ([^)]+)\)$/.exec(fullDefault);
    return {
      name: `${prefix}${member.name.getText(source)}`,
      meaning: docs.map((doc) => text(doc.comment)).join(' '),
      defaultText: dev ? (dev[1] ?? '') : fullDefault,
      ...(dev ? { devText: dev[2] ?? '' } : {}),
    };
  });
}

/** Every option of `createRealtimeServer`, `security.*` and `security.rateLimits.*` spelled out. */
export function serverOptions(): DocumentedOption[] {
  const security = [
    ...documentedMembers('security/security-options.ts', 'SecurityOptions', 'security.').filter(
      (o) => o.name !== 'security.rateLimits',
    ),
    ...documentedMembers('security/security-options.ts', 'RateLimits', 'security.rateLimits.'),
  ];
  return [
    ...documentedMembers('options.ts', 'RealtimeServerOptions').flatMap((o) =>
      o.name === 'security' ? security : [o],
    ),
    ...documentedMembers('config.ts', 'RealtimeLimits'),
  ];
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README's options table, as the JSDoc writes it. */
export function optionsTable(options: readonly DocumentedOption[]): string {
  const rows = options.map(
    (o) => `| \`${o.name}\` | ${cell(o.defaultText || '—')} | ${cell(o.devText ?? '')} | ${cell(o.meaning)} |`,
  );
  return ['| option | default | `development()` | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
