import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

/** One fenced ```ts, ```tsx or ```js block of a Markdown file, where it is printed and what it is. */
export interface Snippet {
  /** `<file> § <heading> #<index>`: the key the docs tests declare each snippet's context under. */
  readonly name: string;
  /** The Markdown file, as given to `markdownSnippets`. */
  readonly file: string;
  /** The nearest heading above the block. */
  readonly heading: string;
  /** Position among the section's ```ts blocks, from 0. */
  readonly index: number;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** `ts`, `tsx` (React components, the automatic JSX runtime) or `js`: the fence's language. */
  readonly lang: SnippetLang;
  /**
   * The file the block is, when its first line names one (`// server.mjs — …`): such blocks are
   * written under that name side by side, so they can import each other as a reader's files would.
   */
  readonly fileName?: string;
  /** The block's text, exactly as printed. */
  readonly code: string;
  /** Why the block is not a program: the text of a `<!-- not a program: reason -->` line right above it. */
  readonly notAProgram?: string;
}

/** The languages of the blocks that are programs. */
export type SnippetLang = 'ts' | 'tsx' | 'js';
const LANGS: readonly string[] = ['ts', 'tsx', 'js'] satisfies SnippetLang[];

const FILE_NAME = /^\/\/ ([\w.-]+\.m?[jt]s)\b/;
const NOT_A_PROGRAM = /^<!--\s*not a program:\s*(.+?)\s*-->\s*$/;

/**
 * Every ```ts, ```tsx and ```js block of a Markdown file. A block is a program unless the line right above its fence
 * is `<!-- not a program: reason -->` (invisible on GitHub and npm, and the reason is reviewed).
 * `root` is the directory `file` is relative to.
 */
export function markdownSnippets(root: string, file: string): Snippet[] {
  const lines = readFileSync(path.resolve(root, file), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  let heading = '';
  let index = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^(`{3,})(\S*)/.exec(line);
    if (!fence) {
      const title = /^#+ (.+?)\s*$/.exec(line);
      if (title) [heading, index] = [title[1] ?? '', 0];
      continue;
    }
    const close = lines.findIndex((l, j) => j > i && l.startsWith(fence[1] ?? '```'));
    const end = close < 0 ? lines.length : close;
    const lang = fence[2] ?? '';
    if (LANGS.includes(lang)) {
      const reason = NOT_A_PROGRAM.exec(lines[i - 1] ?? '')?.[1];
      const fileName = FILE_NAME.exec(lines[i + 1] ?? '')?.[1];
      snippets.push({
        name: `${file} § ${heading} #${index}`,
        file,
        heading,
        index: index++,
        line: i + 1,
        lang: lang as SnippetLang,
        ...(fileName === undefined ? {} : { fileName }),
        code: `${lines.slice(i + 1, end).join('\n')}\n`,
        ...(reason === undefined ? {} : { notAProgram: reason }),
      });
    }
    i = end;
  }
  return snippets;
}

/**
 * The `index`-th ```ts block of a README section, exactly as printed. `heading` is the section's
 * heading text (`Security`); `readme` is an absolute path, or relative to the working directory.
 */
export function readmeBlock(readme: string, heading: string, index = 0): string {
  const snippet = markdownSnippets(path.dirname(path.resolve(readme)), path.basename(readme)).find(
    (s) => s.heading === heading && s.index === index,
  );
  if (snippet === undefined) throw new Error(`${readme} § ${heading} has no ts block #${index}`);
  return snippet.code;
}

/**
 * Runs a printed snippet as a module: `prelude` declares what the prose assumes (`topics`), the
 * snippet follows unchanged (TypeScript types stripped by esbuild), and `epilogue` exports what the
 * test needs (`export { rt }`); `lang` `tsx` compiles JSX for React's automatic runtime
 * (`react/jsx-runtime`). The file is written in a fresh folder inside `root`, so bare imports
 * resolve from there: a package's own folder resolves `@oxidite/server` to the package itself
 * (Node's self-reference through `exports`: the built `dist/`, what users get).
 */
export async function runSnippet<T>(
  snippet: string,
  prelude: string,
  epilogue: string,
  root: string = process.cwd(),
  lang: SnippetLang = 'ts',
): Promise<T> {
  const dir = mkdtempSync(path.join(root, '.snippet-'));
  try {
    const { code } = transformSync(`${prelude}\n${snippet}\n${epilogue}`, {
      loader: lang === 'tsx' ? 'tsx' : 'ts',
      jsx: 'automatic',
      format: 'esm',
    });
    const file = path.join(dir, 'snippet.mjs');
    writeFileSync(file, code);
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
