import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The client's source entry, for page scripts to import (bundled with the page, no `dist` needed). */
export const CLIENT_ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/** Bundles a page's module script (TypeScript allowed) for the browser, as an app's bundler would. */
export async function bundlePageScript(source: string): Promise<string> {
  const bundled = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return bundled.outputFiles[0]?.text ?? '';
}
