import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '@oxidite/test-utils';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./server-node.mjs', import.meta.url));

/** Throws unless `dist` is newer than every source file: the child runs the built package. */
function assertBuilt(): void {
  const built = path.join(PACKAGE, 'dist', 'index.js');
  const hint = 'build it first: npx pnpm exec turbo run build --filter=@oxidite/server...';
  if (!existsSync(built)) throw new Error(`packages/server is not built; ${hint}`);
  const builtAt = statSync(built).mtimeMs;
  const src = path.join(PACKAGE, 'src');
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (statSync(path.join(src, file)).mtimeMs > builtAt) throw new Error(`dist is older than src/${file}; ${hint}`);
  }
}

/** A realtime server in a child process (`server-node.mjs`), on a port of its own. */
export interface ServerProcess {
  readonly port: number;
  /** SIGKILL: no close frames, no shutdown, like a crash. */
  kill(): Promise<void>;
}

/** Spawns a server process and waits (10 s at most) until it prints its port. */
export async function startServerProcess(): Promise<ServerProcess> {
  assertBuilt();
  const child: ChildProcess = spawn(process.execPath, [SCRIPT], {
    cwd: PACKAGE,
    stdio: ['pipe', 'pipe', 'pipe'], // stdin stays open as a lifeline
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  let output = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const port = await withDeadline(
    new Promise<number>((resolve, reject) => {
      let pending = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        pending += chunk;
        const newline = pending.indexOf('\n');
        if (newline >= 0) resolve((JSON.parse(pending.slice(0, newline)) as { port: number }).port);
      });
      void exited.then(() => reject(new Error(`the server process exited before listening:\n${output}`)));
    }),
    10_000,
    'the server process to listen',
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    port,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
