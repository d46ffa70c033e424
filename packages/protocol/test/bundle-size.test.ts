import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The browser client (client + protocol + reconnecting-websocket) must stay under 12 KB min+gzip,
 * so the protocol's share is watched here: what a browser client imports, bundled and minified
 * by esbuild, then gzipped at level 9.
 *
 * Measured 3,820 bytes (8,788 minified; esbuild 0.27.7). No zod: server → client envelopes are
 * checked with the protocol's one validator kit (`validation/guards.ts`, shared with the
 * notification and analytics schemas since issue #17; the envelope-only guard before it measured
 * 3,706). Budget: that rounded up to the next 0.5 KB (4,096), plus 10% headroom.
 */
const PROTOCOL_BROWSER_BUDGET_BYTES = 4_506;

const CLIENT_IMPORTS = [
  'decodeServerEnvelope',
  'encodeEnvelope',
  'decodeServerBinaryFrame',
  'encodeBinaryFrame',
  'parseOffset',
  'formatOffset',
  'compareOffsets',
  'reconnectAdvice',
  'CloseCode',
  'ErrorCode',
  'createTopicRegistry',
  'validateWith',
  'RealtimeError',
];

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Bundle {
  readonly code: string;
  /** The files whose code is in the bundle. */
  readonly inputs: readonly string[];
}

/** Bundles `names` imported from `specifier`, minified, as a browser app's bundler would. */
async function bundleImports(names: readonly string[], specifier: string, plugins: Plugin[] = []): Promise<Bundle> {
  const result = await build({
    stdin: {
      contents: `export { ${names.join(', ')} } from '${specifier}';`,
      resolveDir: PACKAGE_DIR,
      sourcefile: 'browser-entry.js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  const [output] = result.outputFiles;
  const [meta] = Object.values(result.metafile.outputs);
  if (!output || !meta) throw new Error('esbuild produced no output');
  // Not `metafile.inputs`: that lists every file esbuild read, and it reads zod, because index.ts
  // re-exports the schemas. An output's own `inputs` lists the files whose code it contains.
  return { code: output.text, inputs: Object.keys(meta.inputs) };
}

/**
 * The package as one ES module with its dependencies external, as tsup builds `dist/index.js`.
 * There, unlike in `src`, no module can be dropped whole (`sideEffects: false`): only statements,
 * so every module-level zod schema must be marked pure for a bundler to drop it.
 */
async function singleFileBuild(): Promise<Plugin> {
  const options: BuildOptions = {
    entryPoints: [`${PACKAGE_DIR}src/index.ts`],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  };
  const result = await build(options);
  const contents = result.outputFiles?.[0]?.text;
  if (!contents) throw new Error('esbuild produced no output');
  return {
    name: 'protocol-single-file',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^protocol-single-file$/ }, () => ({
        path: 'index.js',
        namespace: 'single-file',
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'single-file' }, () => ({
        contents,
        loader: 'js',
        resolveDir: PACKAGE_DIR,
      }));
    },
  };
}

const zodInputs = (bundle: Bundle) => bundle.inputs.filter((path) => path.includes('node_modules/zod'));

describe('browser bundle of the protocol', () => {
  it(`stays under ${PROTOCOL_BROWSER_BUDGET_BYTES} bytes min+gzip, with no Node built-ins and no zod`, async () => {
    const bundle = await bundleImports(CLIENT_IMPORTS, './src/index.ts');
    const { code } = bundle;
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(
      `@oxidite/protocol browser bundle: ${code.length} B minified, ${gzipped} B min+gzip ` +
        `(budget ${PROTOCOL_BROWSER_BUDGET_BYTES} B)`,
    );

    expect(gzipped).toBeLessThan(PROTOCOL_BROWSER_BUDGET_BYTES);
    expect(code).not.toMatch(/require\(\s*["']node:/);
    expect(code).not.toMatch(/from\s*["']node:/);
    for (const name of CLIENT_IMPORTS) expect(code).toContain(name);
    expect(bundle.inputs).toContain('src/codec/server-envelope-guard.ts');
    expect(zodInputs(bundle)).toEqual([]);
  });

  it('has no zod either when bundled from a single-file build of the package, like dist', async () => {
    const bundle = await bundleImports(CLIENT_IMPORTS, 'protocol-single-file', [await singleFileBuild()]);
    expect(bundle.inputs).toEqual(expect.arrayContaining(['single-file:index.js']));
    expect(zodInputs(bundle)).toEqual([]);
    expect(gzipSync(bundle.code, { level: 9 }).length).toBeLessThan(PROTOCOL_BROWSER_BUDGET_BYTES);
  });

  it('sees zod where it is bundled, so the checks above are not vacuous', async () => {
    for (const specifier of ['./src/index.ts', 'protocol-single-file']) {
      // A zod schema itself: `decodeClientEnvelope` no longer reaches zod (the validator kit checks client envelopes).
      const bundle = await bundleImports(['ClientEnvelopeSchema'], specifier, [await singleFileBuild()]);
      expect(zodInputs(bundle).length).toBeGreaterThan(0);
    }
  });
});
