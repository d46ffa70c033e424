import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CreditFrame, ReadyFrame, Reply, Request, ServerConfig, Usage } from '../shared/ipc';

const SERVER_SCRIPT = fileURLToPath(new URL('./server.js', import.meta.url));
const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 5_000;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Options of {@link ServerProcess.start}. */
export interface ServerProcessOptions {
  /** Write a V8 CPU profile of the server into this directory (`--cpu-prof`). @default none */
  readonly profileDir?: string | undefined;
}

/** The server under test, in a child process, driven over IPC. Every request has a deadline. */
export class ServerProcess {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #lastCredit = 0;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
    child.on('message', (frame: Reply) => {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.ok) pending.resolve(frame.result);
      else pending.reject(new Error(`server: ${frame.error}`));
    });
    // Sends on a closed channel are reported here, not thrown: the pending request times out or
    // is rejected by 'exit' below.
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`server exited (${signal ?? code})`));
      }
      this.#pending.clear();
    });
  }

  /** Spawns the server and waits until it listens. */
  static start(config: ServerConfig, options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const flags = ['--expose-gc'];
    if (options.profileDir) flags.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
    const child = spawn(process.execPath, [...flags, SERVER_SCRIPT, JSON.stringify(config)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${config.kind} server did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      child.once('message', (frame: ReadyFrame) => {
        clearTimeout(timer);
        resolve(new ServerProcess(child, frame.port));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${config.kind} server exited during start (${code})`));
      });
    });
  }

  /** Sends a request; rejects if no reply comes within `timeoutMs`. */
  request<T>(request: Request, timeoutMs = 30_000): Promise<T> {
    const id = this.#nextId++;
    if (!this.#child.connected) return Promise.reject(new Error(`server gone (${this.#exitReason()})`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`server: no reply to ${request.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.#child.send({ ...request, id });
    });
  }

  #exitReason(): string {
    return String(this.#child.signalCode ?? this.#child.exitCode ?? 'channel closed');
  }

  /** CPU usage of the server process now. */
  usage(): Promise<Usage> {
    return this.request<Usage>({ op: 'usage' });
  }

  /** Grants flood credit up to message number `upTo` (sent only when it grows). */
  credit(upTo: number): void {
    if (upTo <= this.#lastCredit || !this.#child.connected) return;
    this.#lastCredit = upTo;
    this.#child.send({ op: 'credit', upTo } satisfies CreditFrame);
  }

  /** Resets the credit bookkeeping before a new flood. */
  resetCredit(): void {
    this.#lastCredit = 0;
  }

  /** Stops the server (gracefully, then by force); always resolves. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) resolve();
      else this.#child.once('exit', () => resolve());
    });
    await this.request({ op: 'stop' }, EXIT_TIMEOUT_MS).catch(() => {});
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
