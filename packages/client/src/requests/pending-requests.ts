import { type Ack, ErrorCode, type ErrorEnvelope, RealtimeError, type Reply } from '@oxidite/protocol';
import { after, type Cancel } from '../util/timers';
import { serverError } from '../wire/server-error';

/** How a sent request ends: with its answer, or with an error. */
export interface Settle {
  resolve(answer: Ack | Reply): void;
  reject(error: RealtimeError): void;
}

interface Pending {
  readonly settle: Settle;
  readonly cancelTimeout: Cancel;
  /** The size of the frame sent (see `frameSize`). */
  readonly size: number;
}

/**
 * Requests sent and not yet answered, by id, each with its deadline. Ids are unique for the life
 * of the client, so an answer from an old connection can never settle a new request.
 */
export class PendingRequests {
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  /** Requests sent and not yet answered. */
  get size(): number {
    return this.#pending.size;
  }

  /** A fresh request id. */
  nextId(): number {
    return this.#nextId++;
  }

  /** Waits for the answer to request `id`, at most `timeout` ms. */
  track(id: number, timeout: number, settle: Settle, size = 0): void {
    const cancelTimeout = after(timeout, () => {
      this.#pending.delete(id);
      settle.reject(new RealtimeError(ErrorCode.TIMEOUT, `no answer within ${timeout} ms`));
    });
    this.#pending.set(id, { settle, cancelTimeout, size });
  }

  /** Rejects the request whose frame was the largest, if any. */
  rejectLargest(error: () => RealtimeError): void {
    let largest: [number, Pending] | undefined;
    for (const entry of this.#pending) if (!largest || entry[1].size > largest[1].size) largest = entry;
    if (!largest) return;
    this.#pending.delete(largest[0]);
    largest[1].cancelTimeout();
    largest[1].settle.reject(error());
  }

  /** Settles the request an `ack`, `reply` or `error` answers; false if none is waiting for it. */
  answer(envelope: Ack | Reply | ErrorEnvelope): boolean {
    const id = envelope.id;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (!pending || id === undefined) return false;
    this.#pending.delete(id);
    pending.cancelTimeout();
    if (envelope.type === 'error') pending.settle.reject(serverError(envelope));
    else pending.settle.resolve(envelope);
    return true;
  }

  /** Rejects every request still waiting (the connection they were sent on is gone). */
  rejectAll(error: () => RealtimeError): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) {
      request.cancelTimeout();
      request.settle.reject(error());
    }
  }
}
