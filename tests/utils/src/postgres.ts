import { execFile, spawnSync } from 'node:child_process';
import { chownSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findExecutable, postgresBinDir } from './find-executable';
import { freePort } from './free-port';
import { type ServiceProcess, describeExit, onProcessExit, sleep, spawnService, stopService } from './service-process';

/** Options for {@link startPostgres}. */
export interface StartPostgresOptions {
  /** How long to wait for the server to accept connections; default 30 s. */
  timeoutMs?: number;
  /** Extra `-c name=value` settings, e.g. `{ max_connections: '20' }`. */
  settings?: Record<string, string>;
}

/** A throwaway PostgreSQL cluster on 127.0.0.1 (trust auth, fsync off), owned by the test that started it. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** The cluster's data directory (removed by `stop()`). */
  readonly dataDir: string;
  /** `pg_ctl -m fast stop`, then removes the cluster. Safe to call twice. */
  stop(): Promise<void>;
  /** Same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface RunResult {
  code: number;
  output: string;
}

function runCommand(command: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}${error && !stdout && !stderr ? error.message : ''}`.trim() });
    });
  });
}

/** Quotes one argument for `su -c` (a POSIX shell). */
const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * PostgreSQL refuses to run as root. As root, wraps a command to run as the `postgres` OS user
 * (`runuser -u postgres --`, else `su postgres -c`); as anyone else, runs it directly.
 */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  const runuser = findExecutable('runuser', ['/usr/sbin', '/sbin']);
  if (runuser) return [runuser, ['-u', 'postgres', '--', command, ...args]];
  return ['su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(shellQuote).join(' ')]];
}

function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) => {
    const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('running as root, but there is no `postgres` OS user to run PostgreSQL as');
    return Number(r.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Creates a fresh cluster with `initdb` in a temp dir and starts `postgres` on a free loopback port
 * (`-c listen_addresses=127.0.0.1 -k <tmpdir> -c fsync=off`), then waits with `pg_isready` until it accepts
 * connections. As root, everything runs as the `postgres` OS user. The binaries come from {@link postgresBinDir}.
 *
 * @example
 * const pg = await startPostgres();
 * afterAll(() => pg.stop());
 * const client = new pg.Client({ connectionString: pg.url });
 */
export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL not found (apt-get install postgresql, or set PG_BIN to its bin directory)');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const base = await mkdtemp(path.join(tmpdir(), 'oxidite-pg-'));
  const dataDir = path.join(base, 'data');
  const fail = async (message: string): Promise<never> => {
    await rm(base, { recursive: true, force: true });
    throw new Error(message);
  };

  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUserIds();
    chownSync(base, uid, gid);
  }
  const initdbArgs = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-N', '-E', 'UTF8', '--locale=C'];
  const init = await runCommand(...asPostgresUser(path.join(bin, 'initdb'), initdbArgs), base, 60_000);
  if (init.code !== 0) await fail(`initdb failed (exit ${init.code}):\n${init.output}`);

  const settings = { listen_addresses: '127.0.0.1', fsync: 'off', full_page_writes: 'off', ...opts.settings };
  const settingArgs = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  let proc: ServiceProcess | undefined;
  let port = 0;
  // Another process may take the free port before postgres binds it: pick a new one and retry.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), '-k', base, ...settingArgs];
    const p = spawnService(...asPostgresUser(path.join(bin, 'postgres'), args), { cwd: base });
    proc = p;
    const ready = await waitReady(bin, port, p, timeoutMs);
    if (ready === 'ready') break;
    await stopService(p, 'SIGKILL');
    const portTaken = /could not bind|address already in use/i.test(p.output());
    if (ready === 'exited' && portTaken && attempt < 3) continue;
    const what =
      ready === 'exited'
        ? `exited (${describeExit(await p.exited)})`
        : `did not accept connections within ${timeoutMs} ms (Timed out)`;
    await fail(`postgres on 127.0.0.1:${port} ${what}. Its log:\n${p.output()}`);
  }

  // If the test process dies without stop(), take the server down (runuser does not pass SIGKILL on).
  const unregister = onProcessExit(() => {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      unregister();
      if (proc?.running()) {
        const pgCtl = asPostgresUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
        await runCommand(...pgCtl, base, 30_000);
        await stopService(proc, 'SIGTERM', 10_000);
      }
      await rm(base, { recursive: true, force: true });
    })();
    return stopped;
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Polls `pg_isready` (or, without it, a TCP connect) until ready, the process exits, or the deadline. */
async function waitReady(
  bin: string,
  port: number,
  p: ServiceProcess,
  timeoutMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const pgIsReady = findExecutable(path.join(bin, 'pg_isready')) ?? findExecutable('pg_isready');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!p.running()) return 'exited';
    if (pgIsReady) {
      const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '1'];
      const r = await runCommand(pgIsReady, args, tmpdir(), 5_000);
      if (r.code === 0 && p.running()) return 'ready';
    } else if ((await canConnect(port)) && p.running()) {
      return 'ready';
    }
    await sleep(100);
  }
  return p.running() ? 'timeout' : 'exited';
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.on('connect', () => finish(true));
    socket.on('error', () => finish(false));
    socket.on('timeout', () => finish(false));
  });
}
