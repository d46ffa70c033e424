import { type FlushScheduler, flushScheduler } from './flush-scheduler';

/** Bounds of an {@link OutboundQueue}; one object is shared by every queue of a transport. */
export interface OutboundQueueOptions {
  /** Items that may wait while the link is backed up before the reader is a slow consumer. */
  readonly capacity: number;
  /** Bytes that may wait (while backed up, or collected in one tick) before the reader is a slow consumer. */
  readonly maxBytes: number;
  /**
   * Collects what is pushed and writes it in one go when the {@link FlushScheduler} comes to this
   * queue (on `process.nextTick`, as Node's `http` batches, or in a later slice of a large
   * fan-out): one system call per socket per flush, whatever the fan-out.
   */
  readonly isBatched: boolean;
  /** Who flushes batched queues. @default the process-wide {@link flushScheduler} */
  readonly scheduler?: FlushScheduler | undefined;
}

/**
 * The bounded outbox every writer of the server uses (WebSocket, permessage-deflate WebSocket,
 * SSE): items go to the link while it takes them (or in one batch per tick) and wait, bounded by
 * `capacity` items and `maxBytes` bytes, while it is backed up; a reader that overflows it is a
 * slow consumer. Queued items are the shared encoded values, so a backlog costs pointers, not
 * copies, and memory never grows without bound because of one reader.
 *
 * A writer extends it with its link (the socket or response it writes to) rather than holding
 * one: idle memory per connection is what a real-time server is sized by, and this keeps the
 * queue's state in the connection's own object.
 */
export abstract class OutboundQueue<T> {
  // Helpers below are TypeScript-private, not `#`: a class with `#` methods stamps a brand on every
  // instance (8 bytes per connection).
  readonly #options: OutboundQueueOptions;
  #batch: T[] | undefined;
  #batchBytes = 0;
  /** Only while the link is backed up or someone waits for it to be writable (see {@link Stall}). */
  #stall: Stall<T> | undefined;

  constructor(options: OutboundQueueOptions) {
    this.#options = options;
  }

  /** False once the link is closing: what is still waiting is dropped. */
  abstract get isOpen(): boolean;

  /** Resolves once nothing waits for the link to drain or for its flush (immediately if nothing does). */
  whenWritable(): Promise<void> {
    if ((!this.#batch && !this.#stall?.backlog) || !this.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      const stall = this.stall();
      stall.waiters ??= [];
      stall.waiters.push(resolve);
    });
  }

  /** Writes this tick's batch now (before a close frame, which must follow it); scheduled otherwise. */
  flushQueue(): void {
    const batch = this.#batch;
    const bytes = this.#batchBytes;
    this.#batch = undefined;
    this.#batchBytes = 0;
    if (batch && batch.length > 0) this.writeItems(batch, bytes);
    if (!this.#stall?.backlog) this.releaseWaiters();
  }

  /** Bytes waiting for the link: this tick's batch and the backlog (the inspector shows it). */
  get queuedBytes(): number {
    return this.#batchBytes + (this.#stall?.backlogBytes ?? 0);
  }

  /** Whether items are batched per tick (the options' `isBatched`). */
  protected get isBatched(): boolean {
    return this.#options.isBatched;
  }

  /**
   * Hands one item to the link (unbatched queues, and {@link enqueueNow}); returns true when the
   * link is now backed up (`onceDrain` will fire).
   */
  protected abstract writeOne(item: T): boolean;
  /** Hands items to the link in order, in as few system calls as it can; returns true when backed up. */
  protected abstract writeAll(items: readonly T[]): boolean;
  /** Calls `listener` once, when the link has drained. */
  protected abstract onceDrain(listener: () => void): void;
  /** An item did not fit: the reader fell behind. The writer closes it (and clears its queue). */
  protected abstract onOverflow(): void;
  /** `messages` items of `bytes` bytes reached the link (for `stats()`). */
  protected abstract onWritten(messages: number, bytes: number): void;

  /** Queues or writes `item`; false when it did not fit (`onOverflow` was called). */
  protected enqueue(item: T, bytes: number): boolean {
    const stall = this.#stall;
    const backlog = stall?.backlog;
    if (stall && backlog) {
      if (backlog.length >= this.#options.capacity || stall.backlogBytes + bytes > this.#options.maxBytes) {
        this.onOverflow();
        return false;
      }
      backlog.push(item);
      stall.backlogBytes += bytes;
      return true;
    }
    if (!this.#options.isBatched) {
      this.onWritten(1, bytes);
      if (this.writeOne(item)) this.markBackedUp();
      return true;
    }
    if (!this.#batch) {
      this.#batch = [];
      (this.#options.scheduler ?? flushScheduler).schedule(this);
    } else if (this.#batchBytes + bytes > this.#options.maxBytes) {
      this.onOverflow();
      return false;
    }
    this.#batch.push(item);
    this.#batchBytes += bytes;
    return true;
  }

  /**
   * Like {@link enqueue}, but a batched queue with nothing waiting writes `item` at once rather
   * than on the next flush: for a lone answer that nothing else could join (the reply to the last
   * request of a socket read). Issue #18, goal 2: the flush's tick and bookkeeping were a tenth of
   * what an RPC round trip cost the server. Order holds: anything already waiting is queued behind.
   */
  protected enqueueNow(item: T, bytes: number): boolean {
    if (!this.#options.isBatched || this.#batch || this.#stall?.backlog) return this.enqueue(item, bytes);
    this.onWritten(1, bytes);
    if (this.writeOne(item)) this.markBackedUp();
    return true;
  }

  /** Drops everything waiting (the link is closing) and releases `whenWritable` callers. */
  protected clearQueue(): void {
    this.#batch = undefined;
    this.#batchBytes = 0;
    const stall = this.#stall;
    if (stall) {
      stall.backlog = undefined;
      stall.backlogBytes = 0;
    }
    this.releaseWaiters();
  }

  private writeItems(items: readonly T[], bytes: number): void {
    if (!this.isOpen) return;
    this.onWritten(items.length, bytes);
    if (this.writeAll(items)) this.markBackedUp();
  }

  private stall(): Stall<T> {
    this.#stall ??= { backlog: undefined, backlogBytes: 0, waiters: undefined };
    return this.#stall;
  }

  private markBackedUp(): void {
    const stall = this.stall();
    if (stall.backlog) return;
    stall.backlog = [];
    this.onceDrain(() => this.drained());
  }

  private drained(): void {
    const stall = this.#stall;
    if (!stall) return;
    const backlog = stall.backlog;
    const bytes = stall.backlogBytes;
    stall.backlog = undefined;
    stall.backlogBytes = 0;
    // Written in one go: it was bounded, and items pushed meanwhile must come after it.
    if (backlog && backlog.length > 0) this.writeItems(backlog, bytes);
    if (!this.#stall?.backlog) this.releaseWaiters();
  }

  /** Resolves `whenWritable` callers, and lets go of the stall state unless the link is backed up. */
  private releaseWaiters(): void {
    const stall = this.#stall;
    if (!stall) return;
    const waiters = stall.waiters;
    stall.waiters = undefined;
    if (!stall.backlog) this.#stall = undefined;
    for (const resolve of waiters ?? []) resolve();
  }
}

/**
 * What an {@link OutboundQueue} needs only while its link is backed up or someone awaits
 * `whenWritable`: kept in an object made then, not in three fields every idle connection pays
 * for (issue #18, goal 3).
 */
interface Stall<T> {
  /** Items waiting for the link to drain; set while it is backed up. */
  backlog: T[] | undefined;
  backlogBytes: number;
  waiters: (() => void)[] | undefined;
}
