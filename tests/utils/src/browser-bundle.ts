import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** What a browser app would ship for some code: the minified output, what went into it, its gzip size. */
export interface BrowserBundle {
  readonly code: string;
  /** The files that contributed code (esbuild also lists files it visited and shook out entirely). */
  readonly inputs: string[];
  /** Bytes after gzip level 9. */
  readonly gzipped: number;
}

/**
 * Bundles `contents` as a browser app's bundler would (esbuild, ESM, minified, browser platform,
 * packages from their built `dist`), for bundle-size budgets.
 */
export async function bundleForBrowser(
  contents: string,
  options: { readonly resolveDir: string; readonly plugins?: Plugin[] },
): Promise<BrowserBundle> {
  const result = await build({
    stdin: { contents, resolveDir: options.resolveDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: options.plugins ?? [],
  });
  const [output] = result.outputFiles;
  const [meta] = Object.values(result.metafile.outputs);
  if (!output || !meta) throw new Error('esbuild produced no output');
  const inputs = Object.entries(meta.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
  return { code: output.text, inputs, gzipped: gzipSync(output.text, { level: 9 }).length };
}
