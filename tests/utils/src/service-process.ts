import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** How a child process ended. `error` is set when it could not be started at all. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A long-running child (a server under test) whose recent output is kept for error messages. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** The last 16 KB of its stdout and stderr, interleaved. */
  output(): string;
  running(): boolean;
  readonly exited: Promise<ExitInfo>;
}

const exitHooks = new Set<() => void>();

/**
 * Registers a synchronous clean-up that runs if the test process exits while a service is still up, so a crashed
 * or aborted suite does not leave servers behind. Returns the function that unregisters it.
 */
export function onProcessExit(hook: () => void): () => void {
  if (exitHooks.size === 0) process.once('exit', runExitHooks);
  exitHooks.add(hook);
  return () => {
    exitHooks.delete(hook);
    if (exitHooks.size === 0) process.off('exit', runExitHooks);
  };
}

function runExitHooks(): void {
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // best effort while exiting
    }
  }
}

/** Spawns `command` with piped output (no shell) and keeps the tail of that output. */
export function spawnService(command: string, args: readonly string[], opts: SpawnOptions = {}): ServiceProcess {
  const child = spawn(command, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: string) => {
    out = (out + chunk).slice(-16_384);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      keep(`\n${error.message}\n`);
      resolve({ code: null, signal: null, error });
    });
  }).then((info) => {
    done = true;
    unregister();
    return info;
  });
  const unregister = onProcessExit(() => child.kill('SIGKILL'));
  return { child, exited, output: () => out.trim(), running: () => !done };
}

/** Sends `signal`, waits up to `ms` for the exit, then SIGKILLs and waits again. Safe on an exited process. */
export async function stopService(service: ServiceProcess, signal: NodeJS.Signals = 'SIGTERM', ms = 10_000) {
  if (!service.running()) return service.exited;
  service.child.kill(signal);
  const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, ms, 'timeout').unref());
  if ((await Promise.race([service.exited, timer])) === 'timeout') service.child.kill('SIGKILL');
  return service.exited;
}

/** Describes an exit for error messages: `exit code 1`, `signal SIGKILL` or the spawn error. */
export function describeExit(info: ExitInfo): string {
  if (info.error) return `could not start: ${info.error.message}`;
  return info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
