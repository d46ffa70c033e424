import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves a program to an absolute path by looking through `$PATH` and then `extraDirs`, without spawning a shell.
 * A name containing a slash is checked as a path. Returns `undefined` when not found.
 */
export function findExecutable(name: string, extraDirs: readonly string[] = []): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? path.resolve(name) : undefined;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Chromium to drive with Playwright: `$CHROMIUM_PATH` if set, else `/usr/bin/chromium`, else `chromium` or
 * `chromium-browser` on the PATH. `undefined` when there is none.
 */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return findExecutable(fromEnv);
  if (isExecutableFile('/usr/bin/chromium')) return '/usr/bin/chromium';
  return findExecutable('chromium') ?? findExecutable('chromium-browser');
}

/**
 * The directory holding PostgreSQL's server programs (`initdb`, `postgres`, `pg_ctl`, `pg_isready`):
 * `$PG_BIN` if set, else the highest-numbered `/usr/lib/postgresql/<version>/bin` that contains `initdb`
 * (Debian keeps them off the PATH), else the directory of an `initdb` on the PATH. `undefined` when there is none.
 */
export function postgresBinDir(): string | undefined {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return isExecutableFile(path.join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(root);
  } catch {
    // not a Debian-style install
  }
  const best = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && isExecutableFile(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
  if (best) return path.join(root, best, 'bin');
  const initdb = findExecutable('initdb');
  return initdb ? path.dirname(initdb) : undefined;
}

/** Options for playwright's `chromium.launch`: the system Chromium, headless, with the flags that work in CI containers. */
export interface ChromiumLaunchOptions {
  readonly executablePath?: string;
  readonly headless: true;
  readonly args: string[];
}

/** How every browser test launches Chromium (never a downloaded browser): `chromium.launch(chromiumLaunchOptions())`. */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []): ChromiumLaunchOptions {
  const executablePath = chromiumPath();
  return {
    ...(executablePath === undefined ? {} : { executablePath }),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', ...extraArgs],
  };
}
