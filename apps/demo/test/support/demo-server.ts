import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '@oxidite/test-utils';

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/server.js');
const STARTUP_LINE = /^Oxidite demo listening on (http:\/\/127\.0\.0\.1:(\d+)\/)$/;

/** The secret every test server signs with, so tokens survive a restart (≥ 32 characters). */
export const TEST_SECRET = 'test-secret-0123456789abcdef-0123456789';

/** A running `node dist/server.js`. */
export interface DemoServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** SIGTERM (or `signal`), then waits for the exit (SIGKILL after 10 s); resolves with the exit code. Safe to call twice. */
  stop(signal?: 'SIGTERM' | 'SIGINT'): Promise<number | null>;
}

/** Options of {@link startDemoServer}. */
export interface StartOptions {
  /** Directory of the SQLite file (a temp dir per suite). */
  readonly dataDir: string;
  /** @default 0: a free port */
  readonly port?: number;
  /** More environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Spawns the built demo server and waits (10 s at most) for its startup line. */
export async function startDemoServer(options: StartOptions): Promise<DemoServer> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`node build.mjs\` in apps/demo first`);
  const child = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      DATA_DIR: options.dataDir,
      DEMO_SECRET: TEST_SECRET,
      REDIS_URL: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const started = new Promise<{ url: string; port: number }>((resolve, reject) => {
    lines.on('line', (line) => {
      output += `${line}\n`;
      const match = STARTUP_LINE.exec(line);
      if (match) resolve({ url: match[1]!, port: Number(match[2]) });
    });
    child.once('exit', (code) => reject(new Error(`the demo server exited (${code}) before listening:\n${output}`)));
  });
  let address: { url: string; port: number };
  try {
    address = await withDeadline(started, 10_000, 'the demo server to print its startup line');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let stopping: Promise<number | null> | undefined;
  return {
    ...address,
    output: () => output,
    stop(signal = 'SIGTERM') {
      stopping ??= (async () => {
        child.kill(signal);
        try {
          return await withDeadline(exited(child), 10_000, 'the demo server to exit');
        } catch (error) {
          child.kill('SIGKILL');
          throw error;
        }
      })();
      return stopping;
    },
  };
}
