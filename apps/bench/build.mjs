// Bundles each entry point in src/*.ts (bench.ts: the orchestrator and load generator; server.ts: the server
// under test, run in its own process) to dist/. Dependencies stay external: they load from node_modules.
import { readdirSync } from 'node:fs';
import { build } from 'esbuild';

const entryPoints = readdirSync('src')
  .filter((name) => name.endsWith('.ts'))
  .map((name) => `src/${name}`);

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
