import { atLeast, count, createSchema, list, object, type OxiditeSchema, record } from '../validation/guards';

/** Minutes covered by {@link MetricsSnapshot.perMinute} (and by the windowed counts). */
export const METRICS_WINDOW_MINUTES = 60;

/** Events counted in one wall-clock minute. */
export interface MinuteCount {
  /** Start of the minute, in ms since the epoch (a multiple of 60,000). */
  readonly minute: number;
  /** Events whose time fell in that minute. */
  readonly count: number;
}

/**
 * Live metrics, published on `analytics:metrics`. Every count covers the retained window (the
 * last 60 minute buckets, the current one included) except `activeUsers`, which covers the last
 * `activeWindowMs`.
 */
export interface MetricsSnapshot {
  /** When the snapshot was taken (ms since the epoch, the server's clock). */
  readonly at: number;
  /** Events of type `page_view` in the window. */
  readonly pageViews: number;
  /** Distinct visitors (`userId`, else `sessionId`) seen in the window. */
  readonly uniqueVisitors: number;
  /** Distinct visitors seen within the last `activeWindowMs`. */
  readonly activeUsers: number;
  /** The span of `activeUsers`, in ms. */
  readonly activeWindowMs: number;
  /** Events in the window by type; rare types past the store's cap are summed under `other`. */
  readonly eventCounts: Readonly<Record<string, number>>;
  /** Events per minute over the last 60 minutes, oldest first, minutes without events as 0. */
  readonly perMinute: readonly MinuteCount[];
}

/** Validates a {@link MetricsSnapshot} (Standard Schema v1, synchronous, no dependencies). */
export const MetricsSnapshotSchema: OxiditeSchema<MetricsSnapshot> = /* @__PURE__ */ (() =>
  createSchema<MetricsSnapshot>(
    object<MetricsSnapshot>({
      at: atLeast(0),
      pageViews: count,
      uniqueVisitors: count,
      activeUsers: count,
      activeWindowMs: atLeast(1),
      eventCounts: record(count),
      perMinute: list(object<MinuteCount>({ minute: count, count }), METRICS_WINDOW_MINUTES, METRICS_WINDOW_MINUTES),
    }),
  ))();
