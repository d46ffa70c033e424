import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { markdownSnippets, runReadmeChat, writeSnippetFiles } from '@oxidite/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a user gets from npm: each publishable package packed as a tarball (pnpm rewrites
 * `workspace:*` to versions), installed together into a fresh project with npm, then imported
 * from ESM and from CJS. publint and attw check the tarballs' exports and types.
 */
const root = resolve(import.meta.dirname, '../../..');
const packages = ['protocol', 'server', 'client', 'redis', 'testing', 'react'] as const;
const work = mkdtempSync(join(tmpdir(), 'oxidite-pack-'));
const tarballs: Record<string, string> = {};
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_yes: 'true' },
  });

beforeAll(() => {
  for (const name of packages) {
    const dir = join(root, 'packages', name);
    run('npx', ['--yes', 'pnpm@12.4.2', 'pack', '--pack-destination', work], dir);
    const file = readdirSync(work).find((f) => f.startsWith(`oxidite-${name}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`no tarball for ${name}`);
    tarballs[name] = join(work, file);
  }
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  // What the root README tells a new user to do: `npm init -y`, then install the packages with zod and ws.
  run('npm', ['init', '-y'], app);
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      ...packages.map((n) => tarballs[n] as string),
      'zod@4.6.7',
      'ws@8.23.0',
      'vitest@4.1.12', // for @oxidite/testing's README example
      'react@19.3.1', // @oxidite/react's peer
    ],
    app,
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('published packages', () => {
  it.each(packages)('@oxidite/%s imports from ESM and from CJS', (name) => {
    const app = join(work, 'app');
    const esm = run(
      'node',
      ['--input-type=module', '-e', `const m = await import('@oxidite/${name}'); console.log(Object.keys(m).length)`],
      app,
    );
    const cjs = run('node', ['-e', `console.log(Object.keys(require('@oxidite/${name}')).length)`], app);
    expect(Number(esm)).toBeGreaterThan(0);
    expect(Number(cjs)).toBe(Number(esm));
  });

  it('the server entry works without its optional peers, and its subpaths resolve', () => {
    const app = join(work, 'app');
    const out = run(
      'node',
      [
        '-e',
        "const { createRealtimeServer } = require('@oxidite/server'); console.log(typeof createRealtimeServer, require.resolve('@oxidite/server/sqlite').endsWith('sqlite.cjs'))",
      ],
      app,
    );
    expect(out.trim()).toBe('function true');
  });

  it.each(packages)('publint finds no problem in @oxidite/%s', (name) => {
    const out = run(bin('publint'), ['run', join(root, 'packages', name), '--strict', '--pack', 'npm'], root);
    expect(out).toMatch(/All good/);
  });

  it.each(packages)('attw finds no type problem in @oxidite/%s', (name) => {
    // Exit code 0 means no problem for node16 (CJS and ESM) and bundler resolution. node10 is
    // left out: it ignores `exports`, so no subpath (`@oxidite/server/sqlite`) can resolve there.
    const out = run(bin('attw'), [tarballs[name] as string, '--profile', 'node16', '--format', 'table-flipped'], root);
    expect(out).not.toMatch(/❌/);
  });

  it.each(packages)(
    "@oxidite/%s takes its third-party runtime dependencies as ranges, so an app's copies dedupe",
    (name) => {
      // An exact pin (`ws: 8.23.0`) gives a user's project a second copy of `ws` next to its own.
      // Our own packages stay exact: they are released in lockstep.
      const manifest = JSON.parse(
        readFileSync(join(work, 'app', 'node_modules', '@oxidite', name, 'package.json'), 'utf8'),
      );
      const dependencies = Object.entries((manifest.dependencies ?? {}) as Record<string, string>);
      const pinned = dependencies.filter(([dep, spec]) => !dep.startsWith('@oxidite/') && /^\d/.test(spec));
      expect(pinned).toEqual([]);
    },
  );

  it.each([
    ['redis', 'server'],
    ['react', 'client'],
  ])('@oxidite/%s takes @oxidite/%s as a peer, so an app has one copy of it', (name, peer) => {
    const manifest = (pkg: string) =>
      JSON.parse(readFileSync(join(work, 'app', 'node_modules', '@oxidite', pkg, 'package.json'), 'utf8'));
    const dependent = manifest(name);
    expect(dependent.dependencies?.[`@oxidite/${peer}`]).toBeUndefined();
    expect(dependent.peerDependencies?.[`@oxidite/${peer}`]).toBe('>=0.1.0 <1.0.0');
    const [major, minor] = String(manifest(peer).version).split('.').map(Number);
    expect(major === 0 && (minor ?? 0) >= 1).toBe(true);
    // npm resolved the peer to the app's own copy: there is no nested one.
    expect(existsSync(join(work, 'app', 'node_modules', '@oxidite', name, 'node_modules', '@oxidite', peer))).toBe(
      false,
    );
  });

  it("@oxidite/server's root types name none of its optional peers (an app without them compiles, skipLibCheck off)", () => {
    const dist = join(work, 'app', 'node_modules', '@oxidite', 'server', 'dist');
    for (const file of ['index.d.ts', 'index.d.cts']) {
      // Without the comments: their examples import the peers on purpose.
      const types = readFileSync(join(dist, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(types, file).not.toMatch(
        /^\s*(import|export)\b[^\n]*\bfrom ['"](@opentelemetry\/api|pg|better-sqlite3)['"]/m,
      );
      expect(types, file).not.toMatch(/\bimport\(['"](@opentelemetry\/api|pg|better-sqlite3)['"]\)/);
    }
  });

  it("@oxidite/testing's README example passes with vitest, installed from the tarball", () => {
    const app = join(work, 'app');
    const example = markdownSnippets(root, 'packages/testing/README.md').find((s) => s.fileName === 'chat.test.ts');
    writeFileSync(join(app, 'chat.test.ts'), example?.code ?? '');
    expect(run(join(app, 'node_modules', '.bin', 'vitest'), ['run', 'chat.test.ts'], app)).toMatch(/1 passed/);
  });

  it("runs the root README's chat as printed: its three .mjs files in the fresh project, with node", async () => {
    const app = join(work, 'app');
    expect(writeSnippetFiles(app, markdownSnippets(root, 'README.md'))).toEqual([
      'chat.mjs',
      'server.mjs',
      'client.mjs',
    ]);
    await runReadmeChat(app);
  });
});
