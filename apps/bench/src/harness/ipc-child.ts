import { type ChildProcess, spawn } from 'node:child_process';
import type { ReadyFrame, Reply } from '../shared/ipc';

const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 5_000;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Options of {@link IpcChild.start}. */
export interface IpcChildOptions {
  /** Names the child in errors, e.g. `oxidite server`. */
  readonly label: string;
  /** Write a V8 CPU profile of the child into this directory (`--cpu-prof`). @default none */
  readonly profileDir?: string | undefined;
}

/**
 * A bench child process (the server under test, a subscriber under test) started with its JSON
 * config in argv[2] and driven over IPC: it says `ready`, then answers each request once, by id.
 * Every request has a deadline; `stop` always resolves.
 */
export class IpcChild {
  readonly child: ChildProcess;
  readonly ready: ReadyFrame;
  readonly #label: string;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  private constructor(child: ChildProcess, ready: ReadyFrame, label: string) {
    this.child = child;
    this.ready = ready;
    this.#label = label;
    child.on('message', (frame: Reply) => {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.ok) pending.resolve(frame.result);
      else pending.reject(new Error(`${label}: ${frame.error}`));
    });
    // Sends on a closed channel are reported here, not thrown: the pending request times out or
    // is rejected by 'exit' below.
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`${label} exited (${signal ?? code})`));
      }
      this.#pending.clear();
    });
  }

  /** Spawns `script` with `flags` and `config`, and waits for its `ready`. */
  static start(script: string, flags: readonly string[], config: unknown, options: IpcChildOptions): Promise<IpcChild> {
    const all = [...flags];
    if (options.profileDir) all.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
    const child = spawn(process.execPath, [...all, script, JSON.stringify(config)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${options.label} did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      child.once('message', (frame: ReadyFrame) => {
        clearTimeout(timer);
        resolve(new IpcChild(child, frame, options.label));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.label} exited during start (${code})`));
      });
    });
  }

  /** Sends a request; rejects if no reply comes within `timeoutMs`. */
  request<T, R extends { readonly op: string } = { readonly op: string }>(request: R, timeoutMs = 30_000): Promise<T> {
    const id = this.#nextId++;
    if (!this.child.connected) return Promise.reject(new Error(`${this.#label} gone (${this.#exitReason()})`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.#label}: no reply to ${request.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.child.send({ ...request, id });
    });
  }

  #exitReason(): string {
    return String(this.child.signalCode ?? this.child.exitCode ?? 'channel closed');
  }

  /** Stops the child (gracefully, then by force); always resolves. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    await this.request({ op: 'stop' }, EXIT_TIMEOUT_MS).catch(() => {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
