import {
  type AnalyticsEvent,
  AnalyticsEventSchema,
  AnalyticsLimit,
  type AnalyticsProperties,
  describeIssues,
  ErrorCode,
  RealtimeError,
} from '@oxidite/protocol';
import { after, type Cancel, noop } from '../util/timers';
import { checkUrl } from './endpoint-url';
import { currentPath, defaultSendBeacon, onPageHide } from './page-lifecycle';
import { batchBody, postBatch } from './post-batch';
import { randomSessionId } from './session-id';
import type { FetchLike, SendBeacon, Tracker, TrackerOptions } from './tracker-types';

/**
 * Creates an analytics tracker: events are checked when tracked, queued with their time, and
 * POSTed as `{ events }` in batches (when `batchSize` are queued, every `flushInterval`, and on
 * `flush()` or `close()`). A failed batch is retried once at the next flush, then dropped and
 * reported; while the endpoint fails, at most `maxQueue` events wait. When the page is hidden, what
 * is queued leaves through `navigator.sendBeacon` (a `text/plain` body, which needs no CORS
 * preflight), since a page being discarded may never finish a `fetch`. Works on Node with `fetch`.
 *
 * @example
 * const tracker = createTracker({ url: '/analytics', userId: me?.id });
 * tracker.pageView();
 * tracker.track('cart:add', { sku: 'A-42', price: 19.9 });
 * @throws RealtimeError `invalid` for an option out of range, a relative `url` where there is no
 * page (`location`) to resolve it against (Node: pass an absolute URL), or when there is no `fetch`
 */
export function createTracker(options: TrackerOptions): Tracker {
  return new EventTracker(options);
}

function invalid(message: string): RealtimeError {
  return new RealtimeError(ErrorCode.INVALID, message);
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** An id every event can carry: one the schema would refuse would make every event invalid. */
function checkId(name: string, id: string): string {
  if (id.length === 0 || id.length > AnalyticsLimit.MAX_ID_LENGTH) {
    throw invalid(`${name} must be 1–${AnalyticsLimit.MAX_ID_LENGTH} characters`);
  }
  return id;
}

class EventTracker implements Tracker {
  readonly #url: string;
  readonly #identity: { readonly userId?: string; readonly sessionId: string };
  readonly #batchSize: number;
  readonly #flushInterval: number;
  readonly #maxQueue: number;
  readonly #fetch: FetchLike;
  readonly #sendBeacon: SendBeacon | undefined;
  readonly #onError: (error: RealtimeError) => void;
  /** Events not sent yet, oldest first. */
  #queue: AnalyticsEvent[] = [];
  /** Batches that failed once, to retry at the next flush. */
  #retry: AnalyticsEvent[][] = [];
  /** Events dropped beyond `maxQueue` since the last report. */
  #overflow = 0;
  #cancelTimer: Cancel = noop;
  #isTimerSet = false;
  #flushing: Promise<void> | undefined;
  #isFlushDue = false;
  #closing: Promise<void> | undefined;
  readonly #stopListening: Cancel;

  constructor(options: TrackerOptions) {
    const runtime = globalThis as { fetch?: FetchLike };
    // Called as a method of `globalThis`: a browser's `fetch` called detached throws.
    const fetch = options.fetch ?? (runtime.fetch ? (url, init) => (runtime.fetch as FetchLike)(url, init) : undefined);
    if (!fetch) throw invalid('No fetch implementation: pass { fetch }');
    const { userId } = options;
    const sessionId = checkId('sessionId', options.sessionId ?? randomSessionId());
    this.#identity = userId === undefined ? { sessionId } : { userId: checkId('userId', userId), sessionId };
    this.#batchSize = integerIn('batchSize', options.batchSize ?? 20, 1, AnalyticsLimit.MAX_BATCH_EVENTS);
    this.#flushInterval = integerIn('flushInterval', options.flushInterval ?? 5_000, 0, 2 ** 31 - 1);
    this.#maxQueue = integerIn('maxQueue', options.maxQueue ?? 1_000, 1, Number.MAX_SAFE_INTEGER);
    this.#url = checkUrl(options.url);
    this.#fetch = fetch;
    this.#sendBeacon = options.sendBeacon ?? defaultSendBeacon();
    const onError = options.onError ?? noop;
    this.#onError = (error) => {
      try {
        onError(error);
      } catch {
        // A throwing hook must not stop the tracker; there is nowhere else to report it.
      }
    };
    this.#stopListening = onPageHide(() => this.#hidden());
  }

  track(type: string, properties: AnalyticsProperties = {}): void {
    if (this.#closing) return;
    const result = AnalyticsEventSchema['~standard'].validate({
      type,
      ...this.#identity,
      properties,
      timestamp: Date.now(),
    });
    if (result.issues) {
      this.#onError(invalid(`invalid analytics event ${JSON.stringify(type)}: ${describeIssues(result.issues)}`));
      return;
    }
    this.#queue.push(result.value);
    // Retried batches are the oldest events: they go first.
    while (this.#queue.length + this.#retry.reduce((sum, batch) => sum + batch.length, 0) > this.#maxQueue) {
      const oldest = this.#retry[0];
      if (oldest) {
        oldest.shift();
        if (oldest.length === 0) this.#retry.shift();
      } else this.#queue.shift();
      this.#overflow++;
    }
    if (this.#queue.length >= this.#batchSize) void this.flush();
    else this.#schedule();
  }

  pageView(path: string | undefined = currentPath()): void {
    this.track('page_view', path === undefined ? {} : { path });
  }

  flush(): Promise<void> {
    if (this.#flushing) {
      this.#isFlushDue = true;
      return this.#flushing;
    }
    const run = async (): Promise<void> => {
      do {
        this.#isFlushDue = false;
        await this.#sendQueued();
      } while (this.#isFlushDue);
    };
    const flushing = run().finally(() => {
      this.#flushing = undefined;
      this.#schedule();
    });
    this.#flushing = flushing;
    return flushing;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stopListening();
      await this.flush();
      if (this.#retry.length > 0) await this.flush(); // the retry it would have had at the next flush
      this.#cancel();
      const left = [...this.#retry.flat(), ...this.#queue];
      this.#retry = [];
      this.#queue = [];
      if (left.length > 0) this.#drop(left.length, new RealtimeError(ErrorCode.DISCONNECTED, 'the tracker closed'));
    })();
    return this.#closing;
  }

  /**
   * One pass: retried batches first, then the queue in batches. It stops at the first failure, so
   * a dead endpoint costs one request per flush rather than one per batch.
   */
  async #sendQueued(): Promise<void> {
    this.#cancel();
    this.#reportOverflow();
    for (;;) {
      const retried = this.#retry.shift();
      const batch = retried ?? this.#queue.splice(0, this.#batchSize);
      if (batch.length === 0) return;
      const error = await postBatch(this.#fetch, this.#url, batch);
      if (!error) continue;
      if (retried) this.#drop(batch.length, error);
      else this.#retry.push(batch);
      return;
    }
  }

  /** The page is going away: hand everything to `sendBeacon`, which outlives it. */
  #hidden(): void {
    const send = this.#sendBeacon;
    if (send) {
      this.#reportOverflow();
      const pending = [...this.#retry];
      for (let i = 0; i < this.#queue.length; i += this.#batchSize) {
        pending.push(this.#queue.slice(i, i + this.#batchSize));
      }
      let sent = 0;
      // `false`: the browser's beacon quota is full; the rest waits for a `fetch`.
      while (sent < pending.length && send(this.#url, batchBody(pending[sent] as AnalyticsEvent[]))) sent++;
      const retriesLeft = Math.max(0, this.#retry.length - sent);
      this.#retry = pending.slice(sent, sent + retriesLeft);
      this.#queue = pending.slice(sent + retriesLeft).flat();
    }
    if (this.#retry.length > 0 || this.#queue.length > 0) void this.flush();
  }

  #schedule(): void {
    if (this.#isTimerSet || this.#flushing || this.#closing || this.#flushInterval === 0) return;
    if (this.#queue.length === 0 && this.#retry.length === 0) return;
    this.#isTimerSet = true;
    this.#cancelTimer = after(this.#flushInterval, () => {
      this.#isTimerSet = false;
      void this.flush();
    });
  }

  #cancel(): void {
    this.#cancelTimer();
    this.#isTimerSet = false;
  }

  #reportOverflow(): void {
    if (this.#overflow === 0) return;
    const error = new RealtimeError(ErrorCode.QUEUE_FULL, `more than maxQueue (${this.#maxQueue}) events were waiting`);
    this.#drop(this.#overflow, error);
    this.#overflow = 0;
  }

  #drop(count: number, error: RealtimeError): void {
    const why = `dropped ${count} analytics event${count === 1 ? '' : 's'}: ${error.message}`;
    this.#onError(new RealtimeError(error.code, why, { cause: error }));
  }
}
