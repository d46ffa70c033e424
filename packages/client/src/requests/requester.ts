import { type Ack, CloseCode, ErrorCode, type ErrorEnvelope, RealtimeError, type Reply } from '@oxidite/protocol';
import type { SocketSession } from '../connection/socket-session';
import type { ClientState } from '../state';
import { type Frame, frameSize, limitExceeded } from '../wire/outbound';
import { OfflineQueue } from './offline-queue';
import { PendingRequests, type Settle } from './pending-requests';

/** Reads what a caller needs out of an answer; must not throw. */
export type Pick<R> = (answer: Ack | Reply) => R;

/** The connection as the requester sees it. */
export interface RequestLink {
  readonly state: ClientState;
  /** The usable connection, if any. */
  readonly live: SocketSession | undefined;
}

/** Options of a {@link Requester}. */
export interface RequesterOptions {
  readonly requestTimeout: number;
  readonly queue: { readonly maxSize: number; readonly maxAge: number };
}

/**
 * Sends requests that expect an answer (publish, rpc, auth): at once when connected, else
 * through the bounded offline queue; then waits for the answer with a deadline.
 */
export class Requester {
  readonly #link: RequestLink;
  readonly #options: RequesterOptions;
  readonly #pending = new PendingRequests();
  readonly #queue: OfflineQueue;
  /** Requests held back while the server's `welcome.limits.maxInflight` are unanswered; sent in order as answers come. */
  readonly #waiting: (() => void)[] = [];

  constructor(link: RequestLink, options: RequesterOptions) {
    this.#link = link;
    this.#options = options;
    this.#queue = new OfflineQueue(options.queue.maxSize, options.queue.maxAge);
  }

  /** Requests not sent yet: in the offline queue, or held back by the server's in-flight limit. */
  get unsent(): number {
    return this.#queue.size + this.#waiting.length;
  }

  /** A fresh request id (also used for subscribe requests, so ids never collide). */
  nextId(): number {
    return this.#pending.nextId();
  }

  /**
   * Sends a request now, or queues it while disconnected; resolves with its answer. A request
   * that `isResendable` (a publish with a message id, which the server deduplicates) is sent
   * again after a cut, through the queue and ahead of later requests, instead of rejecting: `build`
   * is called once per attempt with a fresh request id and must keep the message id.
   */
  request(build: (id: number) => Frame, timeout?: number, isResendable?: boolean): Promise<Ack | Reply>;
  /** The same, resolving with `pick(answer)`: no second promise for callers that only read the answer. */
  request<R>(
    build: (id: number) => Frame,
    timeout: number | undefined,
    isResendable: boolean,
    pick: Pick<R>,
  ): Promise<R>;
  request<R>(
    build: (id: number) => Frame,
    timeout = this.#options.requestTimeout,
    isResendable = false,
    pick?: Pick<R>,
  ): Promise<R | Ack | Reply> {
    return new Promise((resolve, reject) => {
      let isResend = false;
      const settle: Settle = {
        resolve: pick ? (answer) => resolve(pick(answer)) : resolve,
        // A cut rejects what was in flight with `disconnected`, in the order it was sent (see
        // `disconnected`): a resend keeps that order. Never for a server's answer (live is set
        // then); once the client is closed, `send` rejects it.
        reject: (error) => {
          if (isResendable && error.code === ErrorCode.DISCONNECTED && !this.#link.live) {
            isResend = true;
            send();
          } else reject(error);
        },
      };
      const send = (): void => {
        const session = this.#link.live;
        if (this.#link.state === 'closed') {
          reject(new RealtimeError(ErrorCode.DISCONNECTED, 'the client is closed'));
        } else if (session && this.#isAtInflightLimit(session)) {
          this.#waiting.push(send);
        } else if (!session) {
          if (!this.#queue.push({ send, reject }, isResend)) {
            reject(
              new RealtimeError(ErrorCode.QUEUE_FULL, `the offline queue is full (${this.#options.queue.maxSize})`),
            );
          }
        } else {
          this.#send(session, build, timeout, settle);
        }
      };
      send();
    });
  }

  #isAtInflightLimit(session: SocketSession): boolean {
    const limit = session.welcome?.limits.maxInflight;
    return typeof limit === 'number' && limit > 0 && (this.#waiting.length > 0 || this.#pending.size >= limit);
  }

  /** Sends held-back requests while there is room (each re-checks the connection when it runs). */
  #sendWaiting(): void {
    const waiting = this.#waiting.splice(0);
    for (let i = 0; i < waiting.length; i++) {
      const session = this.#link.live;
      if (session && this.#isAtInflightLimit(session)) {
        this.#waiting.push(...waiting.slice(i));
        return;
      }
      (waiting[i] as () => void)();
    }
  }

  /** Builds, checks and sends one request on `session`, then waits for its answer. */
  #send(session: SocketSession, build: (id: number) => Frame, timeout: number, settle: Settle): void {
    const id = this.#pending.nextId();
    let frame: Frame;
    try {
      frame = build(id);
    } catch (error) {
      settle.reject(new RealtimeError(ErrorCode.INVALID, 'the data cannot be serialized', { cause: error }));
      return;
    }
    const limits = session.welcome?.limits;
    const limit = limits && limitExceeded(frame, limits);
    if (limit) {
      settle.reject(new RealtimeError(ErrorCode.TOO_LARGE, `over the server limit of ${limit} bytes`));
      return;
    }
    this.#pending.track(id, timeout, settle, frameSize(frame));
    session.send(frame);
  }

  /** Sends a request on the live connection only (never queued), e.g. `auth`. */
  sendNow(session: SocketSession, build: (id: number) => Frame, settle: Settle): void {
    this.#send(session, build, this.#options.requestTimeout, settle);
  }

  /** Settles the request an answer belongs to; false if none is waiting for it. */
  answer(envelope: Ack | Reply | ErrorEnvelope): boolean {
    const isAnswer = this.#pending.answer(envelope);
    if (isAnswer && this.#waiting.length > 0) this.#sendWaiting();
    return isAnswer;
  }

  /** A connection opened: send the queue, oldest first. */
  flush(): void {
    this.#queue.flush();
    this.#sendWaiting();
  }

  /**
   * The connection dropped. Unanswered requests safe to repeat go back to the queue, first and in
   * the order they were sent (the server answers a repeat it already published with the first
   * offset); the others may or may not have been applied, and reject (a resend could duplicate).
   */
  disconnected(code: number): void {
    // 1009: the server refused a frame as too big. The largest one in flight is at least as big
    // (a smaller one before it was read whole): resending it would only be refused again, forever.
    if (code === CloseCode.MESSAGE_TOO_BIG) {
      this.#pending.rejectLargest(
        () => new RealtimeError(ErrorCode.TOO_LARGE, 'over the server limit (closed with 1009)'),
      );
    }
    this.#pending.rejectAll(
      () =>
        new RealtimeError(
          ErrorCode.DISCONNECTED,
          'the connection dropped before the answer; the request was not resent',
        ),
    );
    // Held-back requests were never sent: they wait for the next connection like offline ones.
    this.#sendWaiting();
  }

  /** The client closed: everything sent or queued rejects. */
  closed(why: string): void {
    const error = () => new RealtimeError(ErrorCode.DISCONNECTED, why);
    this.#pending.rejectAll(error);
    this.#queue.rejectAll(error);
    for (const send of this.#waiting.splice(0)) send(); // each rejects: the client is closed
  }
}
