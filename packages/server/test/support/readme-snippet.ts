import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The `index`-th ```ts block of a README section, exactly as printed. `heading` is the section's
 * heading text (`Security`); the section runs to the next heading of the same or a higher level.
 */
export function readmeBlock(readme: string, heading: string, index = 0): string {
  const text = readFileSync(path.resolve(PACKAGE_ROOT, readme), 'utf8');
  const start = text.search(new RegExp(`^(#+) ${heading}\\s*$`, 'm'));
  if (start < 0) throw new Error(`${readme} has no section "${heading}"`);
  const level = /^#+/.exec(text.slice(start))?.[0].length ?? 2;
  const rest = text.slice(text.indexOf('\n', start) + 1);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const block = blocks[index];
  if (block === undefined) throw new Error(`${readme} § ${heading} has no ts block #${index}`);
  return block;
}

/**
 * Runs a printed snippet as a module: `prelude` declares what the prose assumes (`topics`), the
 * snippet follows unchanged (TypeScript types stripped by esbuild), and `epilogue` exports what the
 * test needs (`export { rt }`). The file is written inside this package, so `@oxidite/server`
 * resolves to the package itself (Node's self-reference through `exports`: the built `dist/`,
 * what users get).
 */
export async function runSnippet<T>(snippet: string, prelude: string, epilogue: string): Promise<T> {
  const dir = mkdtempSync(path.join(PACKAGE_ROOT, '.snippet-'));
  try {
    const { code } = transformSync(`${prelude}\n${snippet}\n${epilogue}`, { loader: 'ts', format: 'esm' });
    const file = path.join(dir, 'snippet.mjs');
    writeFileSync(file, code);
    return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
