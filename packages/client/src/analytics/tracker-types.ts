import type { AnalyticsProperties, RealtimeError } from '@oxidite/protocol';

/** The request the tracker makes: a subset of `RequestInit`. */
export interface TrackerRequestInit {
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Lets the request outlive the page (the Fetch standard caps such bodies at 64 KiB in flight). */
  readonly keepalive: boolean;
}

/** The part of `fetch` the tracker uses: the browser's and Node's `fetch` fit. */
export type FetchLike = (
  url: string,
  init: TrackerRequestInit,
) => Promise<{ readonly ok: boolean; readonly status: number }>;

/** `navigator.sendBeacon` with a string body (sent as `text/plain`): true if the browser queued it. */
export type SendBeacon = (url: string, body: string) => boolean;

/** Options of `createTracker`. */
export interface TrackerOptions {
  /**
   * The ingest endpoint (`createAnalyticsHandlers(...).ingest` on the server). A relative URL
   * (`/analytics`) is resolved against the page; on Node, with no page, pass an absolute one:
   * `createTracker` throws `invalid` on a relative URL there.
   */
  readonly url: string;
  /** The signed-in user, sent with every event. @default none */
  readonly userId?: string | undefined;
  /** The browsing session, sent with every event, 1–128 characters. @default a random id per tracker */
  readonly sessionId?: string | undefined;
  /** Queued events that trigger a send, and the most events per request (1–500). @default 20 */
  readonly batchSize?: number | undefined;
  /** Interval, in ms, after which queued events are sent anyway (0: only on size, `flush()`, page hide). @default 5_000 */
  readonly flushInterval?: number | undefined;
  /** Most events kept while they cannot be sent; beyond it the oldest are dropped (and reported). @default 1_000 */
  readonly maxQueue?: number | undefined;
  /** The `fetch` to POST batches with. @default globalThis.fetch */
  readonly fetch?: FetchLike | undefined;
  /**
   * Sends what is queued when the page is hidden, where a `fetch` may be cut off.
   * @default navigator.sendBeacon, when there is a `navigator` that has it; otherwise the page-hide flush uses `fetch`
   */
  readonly sendBeacon?: SendBeacon | undefined;
  /**
   * Receives events that are dropped: invalid when tracked (`invalid`), a batch that failed twice
   * (the HTTP status as a code: `invalid` 400, `unauthorized`, `forbidden`, `too_large`,
   * `rate_limited`, else `internal`; `disconnected` when the request itself failed), or the oldest
   * events beyond `maxQueue` (`queue_full`).
   * @default none: dropped silently
   */
  readonly onError?: ((error: RealtimeError) => void) | undefined;
}

/** Batches analytics events and sends them to an ingest endpoint: see `createTracker`. */
export interface Tracker {
  /**
   * Queues an event with the current time. It is checked at once (type `A-Z a-z 0-9 _ . : -`, at
   * most 32 flat properties): an invalid event goes to `onError` and is not sent. Never throws.
   */
  track(type: string, properties?: AnalyticsProperties): void;
  /** Tracks `page_view` with `{ path }`. @default path: `location.pathname`, when there is a `location` */
  pageView(path?: string): void;
  /**
   * Sends every queued event now, in batches of `batchSize`. Resolves when done; never rejects:
   * a failed batch is kept for the next flush, and dropped (and reported) if it fails again.
   */
  flush(): Promise<void>;
  /** Stops tracking, stops listening for page hide, and flushes; what still cannot be sent is dropped and reported. */
  close(): Promise<void>;
}
