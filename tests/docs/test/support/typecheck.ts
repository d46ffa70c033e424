import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Where a snippet runs: Node (with `@types/node`) or a browser page (the DOM library, no Node types). */
export type SnippetEnv = 'node' | 'browser';

/** A snippet made into a module: its context's prelude, the printed text, then the epilogue. */
export interface SnippetSource {
  readonly name: string;
  readonly env: SnippetEnv;
  readonly prelude: string;
  readonly code: string;
  readonly epilogue: string;
  /** 1-based line of the fence in the Markdown file, to point errors at the printed line. */
  readonly line: number;
  /** Written under this name, as printed (no prelude or epilogue), so named blocks import each other. */
  readonly fileName?: string;
  /** `tsx`: a React component, checked as a `.tsx` file with the automatic JSX runtime. @default 'ts' */
  readonly lang?: string;
}

/** What a user compiles with: strict, ESM, NodeNext, no `skipLibCheck` (so missing `@types` peers show). */
const OPTIONS: Record<SnippetEnv, ts.CompilerOptions> = {
  node: {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    skipLibCheck: false,
    // The root README's programs are plain `.mjs` files: checked as strictly as TypeScript.
    allowJs: true,
    checkJs: true,
  },
  browser: {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: false,
    jsx: ts.JsxEmit.ReactJSX, // for ```tsx blocks (React components); no effect on `.ts` files
  },
};

/** Declaration files of this repository's packages (their built `dist/`). */
const OURS = /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/]/;

const slug = (name: string) => name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Type-checks every snippet as its own ES module inside `root` (so `@oxidite/*` resolve to the built
 * packages, as in a user's project) and returns each snippet's errors, with line numbers of the
 * Markdown file where the error is in the printed text.
 */
export function typecheckSnippets(root: string, sources: readonly SnippetSource[]): Map<string, string[]> {
  const dir = path.join(root, '.snippets');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const errors = new Map<string, string[]>();
  try {
    for (const env of ['node', 'browser'] as const) {
      const files = new Map<string, SnippetSource>();
      for (const source of sources.filter((s) => s.env === env)) {
        const file = path.join(dir, source.fileName ?? `${slug(source.name)}.${source.lang === 'tsx' ? 'tsx' : 'ts'}`);
        writeFileSync(
          file,
          source.fileName ? source.code : `${source.prelude}\n${source.code}\n${source.epilogue}\nexport {};\n`,
        );
        files.set(file, source);
        errors.set(source.name, []);
      }
      const program = ts.createProgram([...files.keys()], OPTIONS[env]);
      for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
        const source = diagnostic.file ? files.get(path.resolve(diagnostic.file.fileName)) : undefined;
        const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
        if (!source || !diagnostic.file || diagnostic.start === undefined) {
          // Our own declarations must hold without `skipLibCheck`; a third party's are its business
          // (hono's types name DOM globals that a Node program has not).
          if (diagnostic.file && !OURS.test(diagnostic.file.fileName)) continue;
          for (const list of errors.values()) list.push(`${diagnostic.file?.fileName ?? 'program'}: ${text}`);
          continue;
        }
        const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
        const preludeLines = source.fileName ? 0 : source.prelude.split('\n').length;
        const where =
          at < preludeLines
            ? `prelude line ${at + 1}`
            : `${source.name.split(' § ')[0]}:${source.line + at - preludeLines + 1}`;
        errors.get(source.name)?.push(`${where}: TS${diagnostic.code} ${text}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return errors;
}
