import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '@oxidite/test-utils';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_SCRIPT = fileURLToPath(new URL('./node.mjs', import.meta.url));

/**
 * Throws unless protocol, server and redis are built and their `dist` is newer than every source
 * file: the child processes import the built packages, and a stale build would test old code.
 */
export function assertBuilt(): void {
  for (const name of ['protocol', 'server', 'redis']) {
    const built = path.join(PACKAGES, name, 'dist', 'index.js');
    const hint = `build it first: (cd packages/${name} && ../../node_modules/.bin/tsup), in the order protocol, server, redis`;
    if (!existsSync(built)) throw new Error(`packages/${name} is not built; ${hint}`);
    const src = path.join(PACKAGES, name, 'src');
    const builtAt = statSync(built).mtimeMs;
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (statSync(path.join(src, file)).mtimeMs > builtAt) {
        throw new Error(`packages/${name}/dist is older than src/${file}; ${hint}`);
      }
    }
  }
}

/** A realtime server node (`node.mjs`) running in a child process. */
export interface NodeProcess {
  readonly port: number;
  /** The WebSocket URL for a client authenticated as `user`. */
  url(user: string): string;
  isRunning(): boolean;
  /** The tail of its stdout and stderr, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `ms`; resolves with the exit code (null: killed). Idempotent. */
  stop(ms?: number): Promise<number | null>;
}

/** Spawns a node on `redisUrl` and waits until it prints its port (at most `ms`). */
export async function startNodeProcess(redisUrl: string, ms = 15_000): Promise<NodeProcess> {
  const child: ChildProcess = spawn(process.execPath, [NODE_SCRIPT], {
    cwd: PACKAGES,
    env: { ...process.env, REDIS_URL: redisUrl },
    // stdin stays open as a lifeline: the child exits when it closes (this process died).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
  });
  // Belt and braces: if this process exits without stopping the child, kill it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output = (output + chunk).slice(-8_192);
  });

  const port = await withDeadline(
    new Promise<number>((resolve, reject) => {
      let pending = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output = (output + chunk).slice(-8_192);
        pending += chunk;
        const newline = pending.indexOf('\n');
        if (newline >= 0) resolve((JSON.parse(pending.slice(0, newline)) as { port: number }).port);
      });
      void exited.then((code) => reject(new Error(`node process exited (code ${code}) before listening:\n${output}`)));
    }),
    ms,
    'a node process to listen',
  ).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });

  return {
    port,
    url: (user) => `ws://127.0.0.1:${port}/ws?access_token=${encodeURIComponent(user)}`,
    isRunning: () => exitCode === undefined,
    output: () => output,
    async stop(wait = 5_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const code = await withDeadline(exited, wait, 'a node process to exit').catch(() => {
        child.kill('SIGKILL');
        return exited;
      });
      return code;
    },
  };
}
