#!/usr/bin/env node
// Builds the demo: src/server → dist/server.js (Node ESM, packages left external) and
// src/page → dist/public/app.js (browser, minified) + index.html, style.css (bundled) and favicon.svg.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const APP = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.join(APP, 'dist');
const PUBLIC = path.join(DIST, 'public');

await rm(DIST, { recursive: true, force: true });
await mkdir(PUBLIC, { recursive: true });
await Promise.all([
  build({
    entryPoints: [path.join(APP, 'src/server/main.ts')],
    outfile: path.join(DIST, 'server.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  }),
  build({
    entryPoints: [path.join(APP, 'src/page/main.ts')],
    outfile: path.join(PUBLIC, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  }),
  copyFile(path.join(APP, 'src/page/index.html'), path.join(PUBLIC, 'index.html')),
  // The stylesheet's @imports (one file per part of the page) inlined into one file, in order.
  build({
    entryPoints: [path.join(APP, 'src/page/style.css')],
    outfile: path.join(PUBLIC, 'style.css'),
    bundle: true,
    target: 'chrome100',
    logLevel: 'warning',
  }),
  copyFile(path.join(APP, 'src/page/favicon.svg'), path.join(PUBLIC, 'favicon.svg')),
]);
