import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per optional peer, so the root entry never loads better-sqlite3 or pg.
  entry: ['src/index.ts', 'src/sqlite.ts', 'src/postgres.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Optional peers stay imports in dist (tsup externalizes peers already; this says it out loud).
  external: ['better-sqlite3', 'pg'],
});
