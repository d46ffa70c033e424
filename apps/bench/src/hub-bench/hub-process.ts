import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 10_000;

/** `npx @oxidite/hub` as a user runs it: its built CLI in a child process of its own. */
export interface HubProcess {
  readonly port: number;
  /** SIGTERM, then waits for the exit (SIGKILL past the deadline). */
  stop(): Promise<void>;
}

/** The hub's bin, resolved like any dependency's. */
function cliPath(): string {
  const manifest = createRequire(import.meta.url).resolve('@oxidite/hub/package.json');
  return path.join(path.dirname(manifest), 'dist/cli.js');
}

/** Starts a hub with the default config on a free loopback port and `apiKey` as its development key. */
export function startHub(apiKey: string): Promise<HubProcess> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'oxidite-hub-bench-'));
  const child: ChildProcess = spawn(process.execPath, [cliPath()], {
    cwd,
    env: { ...process.env, PORT: '0', OXIDITE_API_KEY: apiKey, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hub did not start within ${READY_TIMEOUT_MS} ms: ${text}`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`hub exited (${code}): ${text}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const port = /"msg":"hub: listening".*"port":(\d+)/.exec(text)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({
        port: Number(port),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
