import { ErrorCode, RealtimeError } from '@oxidite/protocol';
import { after, type Cancel } from '../util/timers';

/** A request waiting for a connection. */
export interface QueuedRequest {
  /** Sends it; called in queue order once a connection is open. */
  send(): void;
  reject(error: RealtimeError): void;
}

interface Entry extends QueuedRequest {
  readonly cancelExpiry: Cancel;
}

/**
 * Publishes and RPCs issued while disconnected, and publishes to resend after a cut, bounded in
 * count (`maxSize`: the next one is refused at once; resends are not counted against it) and in
 * age (`maxAge`: an expired one is rejected, since an answer minutes late is usually worse than
 * an error now). Flushed in order when a connection opens.
 */
export class OfflineQueue {
  readonly #maxSize: number;
  readonly #maxAge: number;
  #entries: Entry[] = [];

  constructor(maxSize: number, maxAge: number) {
    this.#maxSize = maxSize;
    this.#maxAge = maxAge;
  }

  get size(): number {
    return this.#entries.length;
  }

  /**
   * Queues a request; false when the queue is full (the request is not queued). A resend of a
   * request already sent (`isResend`) is always queued: the app was promised it would be, and it
   * must stay ahead of later requests.
   */
  push(request: QueuedRequest, isResend = false): boolean {
    if (!isResend && this.#entries.length >= this.#maxSize) return false;
    const entry: Entry = {
      send: () => request.send(),
      reject: (error) => request.reject(error),
      cancelExpiry: after(this.#maxAge, () => {
        this.#entries = this.#entries.filter((e) => e !== entry);
        entry.reject(new RealtimeError(ErrorCode.QUEUE_FULL, `not sent within ${this.#maxAge} ms (offline queue)`));
      }),
    };
    this.#entries.push(entry);
    return true;
  }

  /** Sends every queued request, oldest first. */
  flush(): void {
    const entries = this.#entries;
    this.#entries = [];
    for (const entry of entries) {
      entry.cancelExpiry();
      entry.send();
    }
  }

  /** Rejects every queued request. */
  rejectAll(error: () => RealtimeError): void {
    const entries = this.#entries;
    this.#entries = [];
    for (const entry of entries) {
      entry.cancelExpiry();
      entry.reject(error());
    }
  }
}
