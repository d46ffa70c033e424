import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: ['index.*'],
    sourcemap: true,
    target: 'es2022',
    external: ['better-sqlite3', 'pg'],
  },
  {
    // The CLI is its own entry (ESM only, run by `bin`) so importing the library never parses argv.
    entry: ['src/cli.ts'],
    format: ['esm'],
    clean: ['cli.*'],
    sourcemap: true,
    target: 'es2022',
    external: ['better-sqlite3', 'pg'],
  },
]);
