import { defineConfig } from 'tsup';

export default defineConfig({
  // The CLI is its own entry (ESM only, with a shebang) so importing the library never parses argv.
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['better-sqlite3', 'pg'],
});
