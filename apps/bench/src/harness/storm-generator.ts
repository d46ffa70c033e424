import { fileURLToPath } from 'node:url';
import type { StormReport } from '../generator/storm-fleet';
import type { StormRequest } from '../shared/storm-ipc';
import { IpcChild } from './ipc-child';

const SCRIPT = fileURLToPath(new URL('./storm-clients.js', import.meta.url));

/**
 * One generator process of the reconnect storm (dist/storm-clients.js), driven over IPC like every
 * bench child ({@link IpcChild}): each request gets one reply by id, within its deadline.
 */
export class StormGenerator {
  readonly #ipc: IpcChild;

  private constructor(ipc: IpcChild) {
    this.#ipc = ipc;
  }

  /** Spawns a generator process and waits until it is ready. */
  static async start(): Promise<StormGenerator> {
    return new StormGenerator(await IpcChild.start(SCRIPT, [], {}, { label: 'storm generator' }));
  }

  /** Sends a request; rejects if no reply comes within `timeoutMs`. */
  request<T>(request: StormRequest, timeoutMs = 30_000): Promise<T> {
    return this.#ipc.request<T, StormRequest>(request, timeoutMs);
  }

  report(): Promise<StormReport> {
    return this.request<StormReport>({ op: 'report' });
  }

  /** Ends the process at once (its clients go with it: nothing to close politely); always resolves. */
  async stop(): Promise<void> {
    const { child } = this.#ipc;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}
