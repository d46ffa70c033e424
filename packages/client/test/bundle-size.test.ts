import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The browser client must stay under 12 KB min+gzip: `src/index.ts` bundled by esbuild the way a
 * browser app would (`@oxidite/protocol` from its built `dist`, as an app installs it), minified,
 * gzipped at level 9. For scale, measured the same way: socket.io-client 13.5 KB, centrifuge 19.6 KB.
 */
const BUDGET_BYTES = 12 * 1024;

async function bundle() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  const [meta] = Object.values(result.metafile.outputs);
  if (!output || !meta) throw new Error('esbuild produced no output');
  // The files that contributed code (esbuild also lists files it visited and shook out entirely).
  const inputs = Object.entries(meta.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  return { code: output.text, inputs };
}

describe('browser bundle of the client', () => {
  it(`stays under ${BUDGET_BYTES} bytes min+gzip, without zod or Node built-ins`, async () => {
    const { code, inputs } = await bundle();
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(
      `@oxidite/client browser bundle: ${code.length} B minified, ${gzipped} B min+gzip (budget ${BUDGET_BYTES} B)`,
    );

    expect(gzipped).toBeLessThan(BUDGET_BYTES);
    expect(inputs.filter((input) => input.includes('node_modules/zod'))).toEqual([]);
    expect(inputs.filter((input) => input.startsWith('node:') || input.includes('node_modules/ws/'))).toEqual([]);
    expect(code).not.toMatch(/require\(\s*["']node:|from\s*["']node:|import\(\s*["']node:/);
  });
});
