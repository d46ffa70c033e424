import { type ChildProcess, spawn } from 'node:child_process';
import { withDeadline } from './deadline';

/** A Node program started by a test, read line by line. */
export interface Program {
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  readonly output: () => string;
  /** Resolves with the first output line matching `pattern` (already printed or yet to come), within `ms`. */
  line(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Writes to its stdin. */
  write(text: string): void;
  /** Ends its stdin. */
  end(): void;
  /** Resolves with its exit code (the signal's name when it was killed), within `ms`. */
  exited(ms?: number): Promise<number | string>;
  /** Sends `signal` to it (this process only: it was started by the test). */
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `node <file>` in `cwd` with extra `env`. */
export function startProgram(file: string, cwd: string, env: Record<string, string> = {}): Program {
  const child: ChildProcess = spawn(process.execPath, [file], { cwd, env: { ...process.env, ...env } });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const wake of waiters) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiters) wake();
    }),
  );
  const what = (more: string) => `${file} ${more}; its output:\n${text}`;
  return {
    output: () => text,
    line(pattern, ms = 10_000) {
      return withDeadline(
        new Promise<RegExpExecArray>((resolve, reject) => {
          const check = () => {
            const match = text
              .split('\n')
              .map((l) => pattern.exec(l))
              .find((m) => m !== null);
            if (match) {
              waiters.delete(check);
              resolve(match);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              waiters.delete(check);
              reject(new Error(what(`exited before printing ${pattern}`)));
            }
          };
          waiters.add(check);
          check();
        }),
        ms,
        what(`to print ${pattern}`),
      );
    },
    write: (input) => void child.stdin?.write(input),
    end: () => void child.stdin?.end(),
    exited: (ms = 10_000) => withDeadline(exit, ms, what('to exit')),
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
