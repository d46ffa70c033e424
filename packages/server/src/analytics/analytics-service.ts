import {
  ANALYTICS_METRICS_TOPIC,
  type AnalyticsEvent,
  type AnalyticsEventInput,
  AnalyticsBatchSchema,
  AnalyticsEventSchema,
  AnalyticsLimit,
  describeIssues,
  ErrorCode,
  type MetricsSnapshot,
  RealtimeError,
} from '@oxidite/protocol';
import type { AnalyticsStore } from './analytics-store';
import { createEventQueue, type EventQueueCounters } from './event-queue';
import { createMemoryAnalyticsStore } from './memory-analytics-store';

/**
 * Where snapshots are published: a realtime server whose topic map includes `analyticsTopics`
 * (`createRealtimeServer({ topics: { ...topics, ...analyticsTopics } })`). A server without that
 * topic does not type-check here.
 */
export interface MetricsPublisher {
  readonly publish: (topic: typeof ANALYTICS_METRICS_TOPIC, data: MetricsSnapshot) => Promise<unknown>;
}

/** An event to track; `timestamp` defaults to the service clock. */
export type TrackInput = Omit<AnalyticsEventInput, 'timestamp'> & { readonly timestamp?: number };

/** Where a background failure happened. */
export type AnalyticsErrorSource = 'flush' | 'publish';

/** Options of {@link createAnalyticsService}. */
export interface AnalyticsServiceOptions {
  /** Where events are aggregated. @default a new memory store (closed by `close()`) */
  readonly store?: AnalyticsStore | undefined;
  /**
   * Publishes snapshots on `analytics:metrics` for live dashboards (WebSocket and SSE). Its topic
   * map must include `analyticsTopics`.
   * @default none: nothing is published
   */
  readonly realtime?: MetricsPublisher | undefined;
  /** Interval between published snapshots, in ms (0: only `publishNow()`). @default 5_000 */
  readonly publishInterval?: number | undefined;
  /** Interval between flushes of the pending batch to the store, in ms (0: only on size or `flush()`). @default 1_000 */
  readonly flushInterval?: number | undefined;
  /** Pending events that trigger a flush, and the most events per `store.record` call. @default 500 */
  readonly batchSize?: number | undefined;
  /** Most events waiting for a flush; tracking past it throws `rate_limited`. @default 10_000 */
  readonly maxPending?: number | undefined;
  /** Clock in ms since the epoch: event defaults, windows and snapshots use it. @default Date.now */
  readonly now?: (() => number) | undefined;
  /** Receives failures of timer-driven flushes and publishes. @default none: ignored */
  readonly onError?: ((error: unknown, source: AnalyticsErrorSource) => void) | undefined;
}

/** Counters of an {@link AnalyticsService}. */
export interface AnalyticsServiceStats extends EventQueueCounters {
  /** Events accepted by `track`, `trackBatch` and `ingest`. */
  readonly tracked: number;
  /** Snapshots published on `analytics:metrics`. */
  readonly published: number;
}

/** Event ingestion, batching and live metrics. */
export interface AnalyticsService {
  /** Validates and queues one event; throws `invalid` (with the path) or `rate_limited`. */
  track(event: TrackInput): void;
  /** Validates and queues 1–500 events, all or none; throws like {@link AnalyticsService.track}. */
  trackBatch(events: readonly TrackInput[]): void;
  /**
   * Queues an untrusted body (one event, or `{ events: [...] }`), e.g. from HTTP or an RPC;
   * returns how many events were accepted. Throws like {@link AnalyticsService.track}.
   */
  ingest(body: unknown): number;
  /** Records every pending event in the store. */
  flush(): Promise<void>;
  /** The metrics now, after a flush. */
  metrics(): Promise<MetricsSnapshot>;
  /** Takes a snapshot and publishes it on `analytics:metrics` (if `realtime` is set); returns it. */
  publishNow(): Promise<MetricsSnapshot>;
  /** Counters, for monitoring. */
  stats(): AnalyticsServiceStats;
  /** Stops the timers, flushes, and closes the store if the service created it. */
  close(): Promise<void>;
}

function integerAtLeast(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** An event object without a timestamp gets `at`; anything else is left for the schema to judge. */
function withTimestamp(value: unknown, at: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return (value as { timestamp?: unknown }).timestamp === undefined ? { ...value, timestamp: at } : value;
}

function validateOne(value: unknown, at: number): AnalyticsEvent {
  const result = AnalyticsEventSchema['~standard'].validate(withTimestamp(value, at));
  if (result.issues) throw new RealtimeError(ErrorCode.INVALID, `invalid event: ${describeIssues(result.issues)}`);
  return result.value;
}

function validateBatch(list: unknown, at: number): readonly AnalyticsEvent[] {
  const events =
    Array.isArray(list) && list.length <= AnalyticsLimit.MAX_BATCH_EVENTS
      ? list.map((value: unknown) => withTimestamp(value, at))
      : list;
  const result = AnalyticsBatchSchema['~standard'].validate({ events });
  if (result.issues) throw new RealtimeError(ErrorCode.INVALID, `invalid batch: ${describeIssues(result.issues)}`);
  return result.value.events;
}

/**
 * Creates the analytics service. Tracking validates and appends to an in-memory batch, flushed to
 * the store every `flushInterval` or when it reaches `batchSize`: ingestion never waits on the
 * store, and publishing never waits on ingestion. Timers are unref'd.
 *
 * @example
 * const rt = createRealtimeServer({ topics: { ...topics, ...analyticsTopics } });
 * const analytics = createAnalyticsService({ realtime: rt });
 * analytics.track({ type: 'signup', userId: '42' });
 * const { ingest, metrics } = createAnalyticsHandlers(analytics);
 */
export function createAnalyticsService(options: AnalyticsServiceOptions = {}): AnalyticsService {
  const store = options.store ?? createMemoryAnalyticsStore();
  const isOwnStore = options.store === undefined;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const flushInterval = integerAtLeast('flushInterval', options.flushInterval ?? 1_000, 0);
  const publishInterval = integerAtLeast('publishInterval', options.publishInterval ?? 5_000, 0);
  const batchSize = integerAtLeast('batchSize', options.batchSize ?? 500, 1);
  const queue = createEventQueue({
    store,
    batchSize,
    maxPending: integerAtLeast('maxPending', options.maxPending ?? 10_000, 1),
    retryAfter: flushInterval || 1_000,
    now,
    onError: (error) => onError(error, 'flush'),
  });
  let tracked = 0;
  let published = 0;
  let isClosed = false;
  let isPublishing = false;

  function accept(events: readonly AnalyticsEvent[]): number {
    if (isClosed) throw new RealtimeError(ErrorCode.INTERNAL, 'analytics service is closed');
    queue.push(events);
    tracked += events.length;
    return events.length;
  }

  async function metrics(): Promise<MetricsSnapshot> {
    await queue.drain();
    return store.snapshot(now());
  }

  async function publishNow(): Promise<MetricsSnapshot> {
    const snapshot = await metrics();
    if (options.realtime) {
      await options.realtime.publish(ANALYTICS_METRICS_TOPIC, snapshot);
      published++;
    }
    return snapshot;
  }

  const timers: ReturnType<typeof setInterval>[] = [];
  if (flushInterval > 0) {
    timers.push(
      setInterval(() => void queue.drain().catch((error: unknown) => onError(error, 'flush')), flushInterval),
    );
  }
  if (publishInterval > 0 && options.realtime) {
    const tick = (): void => {
      if (isPublishing) return; // a slow store or broker: skip a beat rather than pile up
      isPublishing = true;
      publishNow()
        .catch((error: unknown) => onError(error, 'publish'))
        .finally(() => {
          isPublishing = false;
        });
    };
    timers.push(setInterval(tick, publishInterval));
  }
  for (const timer of timers) timer.unref();

  return {
    track: (event) => void accept([validateOne(event, now())]),
    trackBatch: (events) => void accept(validateBatch(events, now())),
    ingest(body) {
      const isBatch =
        typeof body === 'object' && body !== null && !Array.isArray(body) && Object.hasOwn(body, 'events');
      const at = now();
      return accept(isBatch ? validateBatch((body as { events: unknown }).events, at) : [validateOne(body, at)]);
    },
    flush: () => queue.drain(),
    metrics,
    publishNow,
    stats: () => ({ ...queue.counters(), tracked, published }),
    async close() {
      if (isClosed) return;
      isClosed = true;
      for (const timer of timers) clearInterval(timer);
      try {
        await queue.drain();
      } catch (error) {
        onError(error, 'flush');
      }
      if (isOwnStore) await store.close();
    },
  };
}
