import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StormReport } from '../generator/storm-fleet';
import type { ReadyFrame, Reply } from '../shared/ipc';
import type { StormRequest } from '../shared/storm-ipc';

const SCRIPT = fileURLToPath(new URL('./storm-clients.js', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * One generator process of the reconnect storm (dist/storm-clients.js), driven over IPC: each
 * request gets one reply by id, within its deadline. (The same request/reply shape as
 * {@link ServerProcess}; the two belong in one IPC-child helper.)
 */
export class StormGenerator {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (frame: Reply) => {
      const pending = this.#pending.get(frame.id);
      if (!pending) return;
      this.#pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.ok) pending.resolve(frame.result);
      else pending.reject(new Error(`storm generator: ${frame.error}`));
    });
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`storm generator exited (${signal ?? code})`));
      }
      this.#pending.clear();
    });
  }

  /** Spawns a generator process and waits until it is ready. */
  static start(): Promise<StormGenerator> {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`storm generator did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      child.once('message', (_frame: ReadyFrame) => {
        clearTimeout(timer);
        resolve(new StormGenerator(child));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`storm generator exited during start (${code})`));
      });
    });
  }

  /** Sends a request; rejects if no reply comes within `timeoutMs`. */
  request<T>(request: StormRequest, timeoutMs = 30_000): Promise<T> {
    const id = this.#nextId++;
    if (!this.#child.connected) return Promise.reject(new Error('storm generator gone'));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`storm generator: no reply to ${request.op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.#child.send({ ...request, id });
    });
  }

  report(): Promise<StormReport> {
    return this.request<StormReport>({ op: 'report' });
  }

  /** Ends the process (its clients go with it); always resolves. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.kill('SIGKILL');
    await exited;
  }
}
