import { fileURLToPath } from 'node:url';
import type { CreditFrame, Request, ServerConfig, Usage } from '../shared/ipc';
import { IpcChild } from './ipc-child';

const SERVER_SCRIPT = fileURLToPath(new URL('./server.js', import.meta.url));

/** Options of {@link ServerProcess.start}. */
export interface ServerProcessOptions {
  /** Write a V8 CPU profile of the server into this directory (`--cpu-prof`). @default none */
  readonly profileDir?: string | undefined;
}

/** The server under test, in a child process, driven over IPC. Every request has a deadline. */
export class ServerProcess {
  readonly port: number;
  readonly #process: IpcChild;
  #lastCredit = 0;

  private constructor(process: IpcChild) {
    this.#process = process;
    this.port = process.ready.port;
  }

  /** Spawns the server and waits until it listens. */
  static async start(config: ServerConfig, options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const child = await IpcChild.start(SERVER_SCRIPT, ['--expose-gc'], config, {
      label: `${config.kind} server`,
      profileDir: options.profileDir,
    });
    return new ServerProcess(child);
  }

  /** Sends a request; rejects if no reply comes within `timeoutMs`. */
  request<T>(request: Request, timeoutMs = 30_000): Promise<T> {
    return this.#process.request<T>(request, timeoutMs);
  }

  /** CPU usage of the server process now. */
  usage(): Promise<Usage> {
    return this.request<Usage>({ op: 'usage' });
  }

  /** Grants flood credit up to message number `upTo` (sent only when it grows). */
  credit(upTo: number): void {
    const { child } = this.#process;
    if (upTo <= this.#lastCredit || !child.connected) return;
    this.#lastCredit = upTo;
    child.send({ op: 'credit', upTo } satisfies CreditFrame);
  }

  /** Resets the credit bookkeeping before a new flood. */
  resetCredit(): void {
    this.#lastCredit = 0;
  }

  /** Stops the server (gracefully, then by force); always resolves. */
  stop(): Promise<void> {
    return this.#process.stop();
  }
}
