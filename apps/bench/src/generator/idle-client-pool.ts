import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD_SCRIPT = fileURLToPath(new URL('./idle-clients.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;
/** Beyond the open's own deadline: the child's last handshakes may take their full timeout. */
const REPLY_GRACE_MS = 30_000;

/** A request to one `idle-clients` child. */
export type IdleRequest =
  | {
      readonly id: number;
      readonly op: 'open';
      readonly count: number;
      readonly concurrency: number;
      readonly timeoutMs: number;
    }
  | { readonly id: number; readonly op: 'count' }
  | { readonly id: number; readonly op: 'close' };

/** A request before it gets its id (distributed over the union, which `Omit` alone is not). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/** What a child answers (its `ready` frame has id 0). */
export interface IdleReply {
  readonly id: number;
  /** Subscribed sockets it holds now. */
  readonly open: number;
  /** Subscribed sockets that closed since. */
  readonly lost: number;
  /** Sockets this `open` request opened and subscribed. */
  readonly opened: number;
  /** The first failure of the request, to explain a short count. */
  readonly firstError: string | undefined;
}

/** Totals over the children. */
export interface PoolCounts {
  readonly open: number;
  readonly lost: number;
  readonly firstError: string | undefined;
}

class IdleChild {
  readonly address: string;
  open = 0;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: IdleReply) => void>();
  #nextId = 1;

  constructor(child: ChildProcess, address: string) {
    this.#child = child;
    this.address = address;
    child.on('message', (reply: IdleReply) => {
      this.#pending.get(reply.id)?.(reply);
      this.#pending.delete(reply.id);
    });
    child.on('error', () => {});
  }

  static start(url: string, address: string): Promise<IdleChild> {
    const child = fork(CHILD_SCRIPT, [url, address], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`idle-clients child on ${address} did not start`));
      }, START_TIMEOUT_MS);
      child.once('message', () => {
        clearTimeout(timer);
        resolve(new IdleChild(child, address));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`idle-clients child on ${address} exited during start (${code})`));
      });
    });
  }

  request(request: Unnumbered<IdleRequest>, timeoutMs: number): Promise<IdleReply> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (!this.#child.connected) return reject(new Error(`idle-clients child on ${this.address} is gone`));
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`idle-clients child on ${this.address}: no answer to ${request.op}`));
      }, timeoutMs);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        this.open = reply.open;
        resolve(reply);
      });
      this.#child.send({ ...request, id });
    });
  }

  /** Asks the child to close its sockets and exit; kills it if it does not within 5 s. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) resolve();
      else this.#child.once('exit', () => resolve());
    });
    await this.request({ op: 'close' }, 5_000).catch(() => {});
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Idle subscribed connections held by child processes, each on its own loopback source address
 * (127.0.0.1, 127.0.0.2, …) with at most `perChild` sockets: one process cannot hold more sockets
 * than its open-files limit, nor one source address more than its ephemeral ports (~28,000).
 */
export class IdleClientPool {
  readonly #url: string;
  readonly #perChild: number;
  readonly #children: IdleChild[] = [];

  constructor(url: string, perChild: number) {
    this.#url = url;
    this.#perChild = perChild;
  }

  /** Source addresses in use. */
  get addresses(): number {
    return this.#children.length;
  }

  /**
   * Opens connections until the pool holds `total` (filling each child to `perChild`, starting new
   * ones as needed), `concurrency` handshakes in flight per child; no new handshake after `timeoutMs`.
   */
  async openTo(total: number, concurrency: number, timeoutMs: number): Promise<PoolCounts> {
    let firstError: string | undefined;
    const deadline = Date.now() + timeoutMs;
    const jobs: Promise<unknown>[] = [];
    let planned = this.#children.reduce((sum, child) => sum + child.open, 0);
    for (let i = 0; planned < total && Date.now() < deadline; i++) {
      let child = this.#children[i];
      if (!child) {
        child = await IdleChild.start(this.#url, `127.0.0.${i + 1}`);
        this.#children.push(child);
      }
      const count = Math.min(this.#perChild - child.open, total - planned);
      if (count <= 0) continue;
      planned += count;
      const budget = Math.max(1, deadline - Date.now());
      jobs.push(
        child.request({ op: 'open', count, concurrency, timeoutMs: budget }, budget + REPLY_GRACE_MS).then(
          (reply) => {
            firstError ??= reply.firstError;
          },
          (error: unknown) => {
            firstError ??= String(error);
          },
        ),
      );
    }
    await Promise.all(jobs);
    const counts = await this.counts();
    return { ...counts, firstError: firstError ?? counts.firstError };
  }

  /** Sockets held and lost, over every child. */
  async counts(): Promise<PoolCounts> {
    const replies = await Promise.all(this.#children.map((child) => child.request({ op: 'count' }, 10_000)));
    return {
      open: replies.reduce((sum, reply) => sum + reply.open, 0),
      lost: replies.reduce((sum, reply) => sum + reply.lost, 0),
      firstError: undefined,
    };
  }

  /** Closes every socket and stops every child; always resolves. */
  async close(): Promise<void> {
    await Promise.all(this.#children.splice(0).map((child) => child.stop()));
  }
}
