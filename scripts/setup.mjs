#!/usr/bin/env node
// Makes a fresh machine (Node 20 + npm only) ready: exports the environment the toolchain needs and installs the
// workspace with the pinned pnpm. Plain Node ESM, no dependencies. See /work/shared/TOOLCHAIN.md (pitfalls 2-4, 7).
//
//   node scripts/setup.mjs          # or: npm run setup
//
// Other scripts import `pnpm()` (run the pinned pnpm) and `ensureInstalled()` from here.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the directory holding pnpm-workspace.yaml). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The only pnpm that works here: it must equal package.json's `packageManager` (TOOLCHAIN pitfall 9). */
export const PNPM_VERSION = '12.4.2';

const isWindows = process.platform === 'win32';

/**
 * Sets the environment every install/build/test needs, in this process (children inherit it):
 * - `npm_config_nodedir=/usr` when Node's headers ship with the machine: better-sqlite3 compiles from source and
 *   node-gyp cannot download headers here; pnpm ignores `nodedir` in .npmrc, so it must be an env var.
 * - turbo telemetry off (it otherwise does DNS lookups on every run).
 */
export function prepareEnv() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read before turbo runs, not inside a task
  if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) {
    process.env.npm_config_nodedir = '/usr';
  }
  process.env.TURBO_TELEMETRY_DISABLED = '1';
  process.env.DO_NOT_TRACK = '1';
}

/** True when running in CI (CI=true or CI=1). */
export function isCI() {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Runs a command and resolves with its exit code (128 + n when it died from signal n).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, stdio?: import('node:child_process').StdioOptions,
 *           forwardSignals?: boolean }} [opts]
 *   `forwardSignals`: for long-running servers. SIGINT/SIGTERM received by this process go to the child's whole
 *   process tree, once, and this resolves only when that tree is gone. Neither npx nor pnpm passes a SIGTERM on to
 *   the script it runs (the server would be orphaned), so the child gets its own process group and the signal goes
 *   to the group, like a Ctrl-C does. Its stdin is not the terminal then (a background group must not read it).
 * @returns {Promise<number>}
 */
export function run(command, args, opts = {}) {
  const { cwd = ROOT, env = process.env, forwardSignals = false } = opts;
  const group = forwardSignals && !isWindows;
  const stdio = opts.stdio ?? (group ? ['ignore', 'inherit', 'inherit'] : 'inherit');
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio, shell: isWindows, detached: group });
    const lastSent = new Map();
    const forward = (signal) => {
      // One Ctrl-C can reach this process twice (from the terminal and from `npm run`): pass it on once.
      if (Date.now() - (lastSent.get(signal) ?? 0) < 1000) return;
      lastSent.set(signal, Date.now());
      try {
        if (group) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    const signals = forwardSignals ? ['SIGINT', 'SIGTERM'] : [];
    for (const s of signals) process.on(s, forward);
    const done = async (code) => {
      // The direct child (npx) can exit before the server it started has finished shutting down: wait up to 10 s.
      for (let i = 0; group && child.pid && i < 100 && groupAlive(child.pid); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const s of signals) process.off(s, forward);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(`Could not run ${command}: ${err.message}`);
      done(127);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}

/** True while a process of group `pgid` is still running (zombies do not count where /proc can tell). */
function groupAlive(pgid) {
  if (process.platform === 'linux') {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces, so split after the last ')'.
        const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
        if (Number(pgrp) === pgid && state !== 'Z') return true;
      } catch {
        // exited while we looked
      }
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the pinned pnpm (`npx --yes pnpm@12.4.2 ...args`; `--yes` because the machine's npm config has yes=false).
 * turbo finds this pnpm on the PATH npx sets up, so `pnpm(['exec', 'turbo', ...])` needs no global pnpm.
 * @param {string[]} args
 * @param {Parameters<typeof run>[2]} [opts]
 * @returns {Promise<number>} the exit code
 */
export function pnpm(args, opts) {
  return run('npx', ['--yes', `pnpm@${PNPM_VERSION}`, ...args], opts);
}

/**
 * The workspace's packages, from pnpm-workspace.yaml's `dir/*` globs (packages/*, apps/*, tests/*).
 * @returns {{ dir: string, rel: string, name: string, scripts: Record<string, string> }[]} sorted by name
 */
export function workspacePackages() {
  const yaml = readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const block = yaml.match(/^packages:\s*\n((?:\s+-.*\n?)+)/m)?.[1] ?? '';
  const parents = [...block.matchAll(/-\s*['"]?([^'"\s*]+)\/\*['"]?/g)].map((m) => m[1]);
  const found = [];
  for (const parent of parents.length ? parents : ['packages', 'apps', 'tests']) {
    const abs = path.join(ROOT, parent);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const dir = path.join(abs, entry.name);
      if (!entry.isDirectory() || !existsSync(path.join(dir, 'package.json'))) continue;
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const rel = path.relative(ROOT, dir).split(path.sep).join('/');
      found.push({ dir, rel, name: pkg.name ?? rel, scripts: pkg.scripts ?? {} });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Installs the workspace from the lockfile (about 1.5 s when already up to date).
 * In CI a lockfile that does not match the package.json files is an error. Locally it falls back to a plain
 * `pnpm install` (which updates pnpm-lock.yaml) and says why.
 * @throws {Error & { exitCode: number }} when the install fails
 */
export async function ensureInstalled() {
  prepareEnv();
  // pnpm 12 quirk: a new workspace package with no dependencies gets no `importers` entry from a plain install, and
  // locally --frozen-lockfile still passes; on a fresh CI machine it then fails. Repair the lockfile here.
  const lock = existsSync(path.join(ROOT, 'pnpm-lock.yaml'))
    ? readFileSync(path.join(ROOT, 'pnpm-lock.yaml'), 'utf8')
    : '';
  const unlisted = workspacePackages().filter((p) => !lock.includes(`\n  ${p.rel}:`));
  if (lock && unlisted.length > 0 && !isCI()) {
    console.error(
      `pnpm-lock.yaml has no entry for ${unlisted.map((p) => p.rel).join(', ')}: adding it (commit the change).`,
    );
    await pnpm(['install', '--lockfile-only', '--fix-lockfile']);
  }
  const code = await pnpm(['install', '--frozen-lockfile']);
  if (code === 0) return;
  if (isCI()) {
    throw Object.assign(
      new Error(`pnpm install --frozen-lockfile failed (exit ${code}). In CI the lockfile must match package.json.`),
      { exitCode: code },
    );
  }
  console.error(
    `\npnpm install --frozen-lockfile failed (exit ${code}), most likely because a package.json changed without ` +
      'pnpm-lock.yaml (see the error above).\nFalling back to a plain `pnpm install`, which updates pnpm-lock.yaml: ' +
      'commit that change, or CI will fail.\n',
  );
  const retry = await pnpm(['install']);
  if (retry !== 0) {
    throw Object.assign(new Error(`pnpm install failed (exit ${retry})`), { exitCode: retry });
  }
}

// Runnable directly: `node scripts/setup.mjs`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await ensureInstalled();
    console.log('\nSetup done. Next: `npm test` (lint, build, typecheck, tests) or `npm run demo`.');
  } catch (err) {
    console.error(`\nSetup failed: ${err.message}`);
    process.exit(err.exitCode || 1);
  }
}
