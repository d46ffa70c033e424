import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromiumPath, findExecutable, postgresBinDir } from './find-executable';

/** True when `redis-server` (or `$REDIS_SERVER`) is installed. */
export function hasRedisServer(): boolean {
  return findExecutable(process.env.REDIS_SERVER || 'redis-server') !== undefined;
}

/**
 * True when PostgreSQL's server programs are installed (see {@link postgresBinDir}) and, when running as root,
 * a `postgres` OS user exists to run them as (PostgreSQL refuses to run as root).
 */
export function hasPostgres(): boolean {
  const bin = postgresBinDir();
  if (!bin) return false;
  if (!['postgres', 'pg_ctl'].every((p) => findExecutable(path.join(bin, p)))) return false;
  if (process.getuid?.() === 0) return spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0;
  return true;
}

/** True when a Chromium binary is available (see {@link chromiumPath}). */
export function hasChromium(): boolean {
  return chromiumPath() !== undefined;
}
